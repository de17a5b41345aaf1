/**
 * Pure. Dated facts about the IAM application's releases and the clients
 * its binaries are built with, each with its source.
 */

/** When these tables were last read from their sources. */
export const APP_CATALOG_AS_OF = "2026-12-07";

/**
 * The release tags of marmotedu/iam, oldest first, with their dates:
 * `git --git-dir=<clone> tag --sort=creatordate --format='%(refname:short) %(creatordate:short)'`
 * on github.com/marmotedu/iam (fetched 2026-12-07; the last tag is v1.6.3 of
 * 2023-12-05). `image.tag` outside this list is a warning, not an error:
 * forks have tags of their own.
 */
export const IAM_RELEASES: ReadonlyArray<{ tag: string; date: string }> = [
    { tag: "v1.0.0", date: "2021-07-08" },
    { tag: "v1.0.1", date: "2021-07-08" },
    { tag: "v1.0.2", date: "2021-07-08" },
    { tag: "v1.0.3", date: "2021-07-08" },
    { tag: "v1.0.4", date: "2021-07-08" },
    { tag: "v1.0.5", date: "2021-07-30" },
    { tag: "v1.0.6", date: "2021-07-30" },
    { tag: "v1.0.8", date: "2021-08-09" },
    { tag: "v1.0.10", date: "2021-08-27" },
    { tag: "v1.2.0", date: "2021-12-18" },
    { tag: "v1.4.0", date: "2021-12-19" },
    { tag: "v1.6.0", date: "2021-12-21" },
    { tag: "v1.1.0", date: "2022-07-19" },
    { tag: "v1.6.2", date: "2023-12-05" },
    { tag: "v1.6.3", date: "2023-12-05" },
];

/** The release whose contract (app/iamContract.<tag>.json) the config files are rendered for. */
export const PINNED_RELEASE = "v1.6.3";

/**
 * The connection-URL options iam-pump's MongoDB driver accepts. iam-pump
 * v1.6.3 uses github.com/vinllen/mgo (go.mod: v0.0.0-20220329061231-e5ecea62f194),
 * whose `ParseURL` (session.go) refuses any other option with
 * "unsupported connection URL option" — `tls`, `ssl` and `retryWrites`
 * among them — so TLS is set with the pump's `mongo_use_ssl` meta instead,
 * and retryable writes (which DocumentDB does not support) are never asked
 * for: mgo has no retryable writes at all. Read at vinllen/mgo master
 * 6e8a769 (2020-06-03), the newest commit the public mirror holds; the
 * pinned e5ecea62 was not available to read.
 */
export const MGO_URL_OPTIONS: readonly string[] = [
    "authSource",
    "authMechanism",
    "gssapiServiceName",
    "replicaSet",
    "maxPoolSize",
    "appName",
    "readPreference",
    "readPreferenceTags",
    "minPoolSize",
    "maxIdleTimeMS",
    "connect",
];
