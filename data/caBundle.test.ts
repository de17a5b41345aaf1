import * as fs from "fs";
import * as path from "path";
import { CA_BUNDLE_FILE_ENV, loadRdsCaBundle, pemBlocks, rdsCaBundleProblems } from "./caBundle";

const FIXTURE = path.join(__dirname, "..", "test", "fixtures", "rds-ca-bundle.test.pem");
const fixture = fs.readFileSync(FIXTURE, "utf8");
const NOW = new Date("2027-01-01T00:00:00Z");

describe("rdsCaBundleProblems", () => {
    it("accepts CA certificates named Amazon RDS, one of them for the region, valid now", () => {
        expect(rdsCaBundleProblems(fixture, "eu-west-1", NOW)).toEqual([]);
    });

    it("refuses what is not a bundle: an HTML error page, or a CA for another region only", () => {
        expect(rdsCaBundleProblems("<html>Access Denied</html>", "eu-west-1", NOW)).toEqual(["holds no PEM certificate"]);
        expect(rdsCaBundleProblems(fixture, "us-east-1", NOW)).toEqual(["has no CA for region us-east-1"]);
    });

    it("refuses a damaged certificate and a bundle that is no longer (or not yet) valid", () => {
        const damaged = fixture.replace(/(BEGIN CERTIFICATE-----\n)(.)/, "$1!");
        expect(rdsCaBundleProblems(damaged, "eu-west-1", NOW)[0]).toMatch(/^certificate 1 does not parse/);
        expect(rdsCaBundleProblems(fixture, "eu-west-1", new Date("2200-01-01T00:00:00Z"))).toEqual(["has no certificate valid on 2200-01-01"]);
        // The fixture CA is valid from 2026-01-01: before that, nothing in it is.
        expect(rdsCaBundleProblems(fixture, "eu-west-1", new Date("2025-12-31T00:00:00Z"))).toEqual(["has no certificate valid on 2025-12-31"]);
    });
});

describe("loadRdsCaBundle", () => {
    it("reads a local copy when IAM_RDS_CA_BUNDLE_FILE names one, and hands on only the certificates", async () => {
        const pem = await loadRdsCaBundle("eu-west-1", { [CA_BUNDLE_FILE_ENV]: FIXTURE }, NOW);
        expect(pem).toBe(`${pemBlocks(fixture).join("\n")}\n`);
        expect(pem).not.toContain("TEST FIXTURE");
    });

    it("fails the deploy, naming the source, when the bundle is not usable", async () => {
        await expect(loadRdsCaBundle("ap-south-2", { [CA_BUNDLE_FILE_ENV]: FIXTURE }, NOW)).rejects.toThrow(
            `the RDS CA bundle from ${CA_BUNDLE_FILE_ENV}=${FIXTURE} is not usable: has no CA for region ap-south-2`,
        );
    });
});
