/** The mocked providers moved to offline/mocks.ts (the offline runner's); re-exported for tests. */
export { mockCall, mockOutputs } from "../../offline/mocks";
