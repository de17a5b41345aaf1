/** The mock types moved to lib/mockTypes.ts (product code: the offline runner uses them); re-exported for tests. */
export { MOCK_ACCOUNT, MOCK_REGION } from "../../lib/mockTypes";
export type { CallMock, OutputMock } from "../../lib/mockTypes";
