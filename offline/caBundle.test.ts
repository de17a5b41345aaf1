/**
 * The stand-in RDS CA bundle of offline renders: it passes the program's own
 * checks for the regions the price table covers on the pinned day, says in
 * every subject that it is not AWS's, and is not the tests' fixture. Pure.
 */
import { X509Certificate } from "crypto";
import * as fs from "fs";
import { CA_BUNDLE_FILE_ENV, pemBlocks, rdsCaBundleProblems } from "../data/caBundle";
import { TEST_CA_BUNDLE_FILE, TEST_NOW } from "../test/harness";
import { offlineCaBundle, STAND_IN_CA_BUNDLE_FILE } from "./caBundle";

const standIn = fs.readFileSync(STAND_IN_CA_BUNDLE_FILE, "utf8");

describe("the stand-in RDS CA bundle (offline/standInCaBundle.pem)", () => {
    it.each(["eu-west-1", "us-east-1"])("passes the program's checks for %s on the pinned day and in 2100", (region) => {
        expect(rdsCaBundleProblems(standIn, region, TEST_NOW)).toEqual([]);
        expect(rdsCaBundleProblems(standIn, region, new Date("2100-01-01T00:00:00Z"))).toEqual([]);
    });

    it("says it is not AWS's, in its header and in every certificate's subject", () => {
        expect(standIn.split("\n")[0]).toMatch(/^# STAND-IN RDS CA BUNDLE: NOT AWS'S/);
        const subjects = pemBlocks(standIn).map((block) => new X509Certificate(block).subject);
        expect(subjects).toHaveLength(2);
        for (const subject of subjects) {
            expect(subject).toMatch(/^O=STAND-IN for offline renders\\?, not AWS$/m);
        }
    });

    it("is not the tests' fixture CA", () => {
        const fixture = pemBlocks(fs.readFileSync(TEST_CA_BUNDLE_FILE, "utf8"));
        expect(pemBlocks(standIn).filter((block) => fixture.includes(block))).toEqual([]);
    });

    it("is the render's bundle unless IAM_RDS_CA_BUNDLE_FILE names another, and the line the render prints says which", () => {
        expect(offlineCaBundle({})).toMatchObject({ file: STAND_IN_CA_BUNDLE_FILE, standIn: true, description: expect.stringContaining("STAND-IN, not AWS's") });
        expect(offlineCaBundle({ [CA_BUNDLE_FILE_ENV]: "" })).toMatchObject({ standIn: true });
        expect(offlineCaBundle({ [CA_BUNDLE_FILE_ENV]: "/tmp/global-bundle.pem" })).toEqual({
            file: "/tmp/global-bundle.pem",
            standIn: false,
            description: "RDS CA bundle: IAM_RDS_CA_BUNDLE_FILE=/tmp/global-bundle.pem",
        });
    });
});
