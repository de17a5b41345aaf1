/** The CI identities project's offline runner moved to offline/ciIdentitiesRun.ts; re-exported for tests. */
export * from "../offline/ciIdentitiesRun";
