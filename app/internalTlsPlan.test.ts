import { TEST_NOW } from "../test/harness";
import { caExpiryWarning, certificateHours, certificateRenewalWarning, daysLeftInWindow, serverCertificatePlans, serverSecretData, serviceDnsNames } from "./internalTlsPlan";
import { TLS_CERT_FILE, TLS_KEY_FILE, TLS_MOUNT_DIR } from "./paths";

const DAY = 86_400_000;
const at = (days: number): string => new Date(TEST_NOW.getTime() + days * DAY).toISOString();
const URN = "urn:pulumi:prod::iam::iam:app:InternalTls$tls:index/locallySignedCert:LocallySignedCert::iam-internal-tls-iam-apiserver-cert";

describe("internal certificates name the Service a client dials", () => {
    it("names every form of the Service's host a pod resolves (iam-authz-server verifies the host it dials)", () => {
        expect(serviceDnsNames("iam-apiserver", "iam")).toEqual(["iam-apiserver", "iam-apiserver.iam", "iam-apiserver.iam.svc", "iam-apiserver.iam.svc.cluster.local"]);
    });

    it("plans one certificate per TLS server, into the Secret the Deployments mount (app/paths.ts)", () => {
        const plans = serverCertificatePlans(
            [
                { server: "iam-apiserver", serviceName: "iam-apiserver" },
                { server: "iam-authz-server", serviceName: "iam-authz-server" },
            ],
            "iam-staging",
        );
        expect(plans.map((p) => [p.server, p.secretName, p.commonName])).toEqual([
            ["iam-apiserver", "iam-apiserver-tls", "iam-apiserver.iam-staging.svc.cluster.local"],
            ["iam-authz-server", "iam-authz-server-tls", "iam-authz-server.iam-staging.svc.cluster.local"],
        ]);
        expect(plans[0].dnsNames).toContain("iam-apiserver.iam-staging.svc");
    });

    it("refuses a server listed twice (two certificates, one Secret)", () => {
        const twice = [
            { server: "iam-apiserver" as const, serviceName: "a" },
            { server: "iam-apiserver" as const, serviceName: "b" },
        ];
        expect(() => serverCertificatePlans(twice, "iam")).toThrow("iam-apiserver is listed twice");
    });

    it("puts certificate, key and CA under the file names the Deployments mount (app/paths.ts)", () => {
        const data = serverSecretData({ certificate: "C", privateKey: "K", ca: "A" });
        expect(data).toEqual({ "tls.crt": "C", "tls.key": "K", "ca.crt": "A" });
        expect([TLS_CERT_FILE, TLS_KEY_FILE]).toEqual([`${TLS_MOUNT_DIR}/tls.crt`, `${TLS_MOUNT_DIR}/tls.key`]);
    });

    it("turns the configured days into the provider's hours", () => {
        expect(certificateHours({ validityDays: 365, renewBeforeDays: 60, caValidityDays: 3650, caWarnBeforeDays: 180 })).toEqual({
            validityPeriodHours: 8760,
            earlyRenewalHours: 1440,
            caValidityPeriodHours: 87600,
        });
    });
});

describe("renewal warnings, on the pinned clock", () => {
    it("counts the days left only inside the window", () => {
        expect(daysLeftInWindow(at(61), TEST_NOW, 60)).toBeUndefined();
        expect(daysLeftInWindow(at(60), TEST_NOW, 60)).toBe(60);
        expect(daysLeftInWindow(at(59.5), TEST_NOW, 60)).toBe(59);
        expect(daysLeftInWindow(at(-2), TEST_NOW, 60)).toBe(-2);
        expect(daysLeftInWindow("not a date", TEST_NOW, 60)).toBeUndefined();
    });

    it("warns about a server certificate inside its renewal window, with the commands that reissue it", () => {
        expect(certificateRenewalWarning("iam-apiserver", URN, at(100), TEST_NOW, 60)).toBeUndefined();
        const warning = certificateRenewalWarning("iam-apiserver", URN, at(10), TEST_NOW, 60);
        expect(warning).toContain("the internal TLS certificate of iam-apiserver ends on 2026-12-13 (10 days left)");
        expect(warning).toContain("pulumi up --refresh");
        expect(warning).toContain(`pulumi up --replace '${URN}'`);
        expect(certificateRenewalWarning("iam-apiserver", URN, at(-1), TEST_NOW, 60)).toContain("ended on 2026-12-02");
    });

    it("warns about the CA from caWarnBeforeDays before its end, and says it is a planned rotation", () => {
        expect(caExpiryWarning(at(181), TEST_NOW, 180)).toBeUndefined();
        expect(caExpiryWarning(at(1), TEST_NOW, 180)).toBe(
            "the internal CA ends on 2026-12-04 (1 day left) (application.tls.caWarnBeforeDays: 180): plan its rotation (docs/workloads.md, rotating the internal CA); every server certificate it signed stops verifying when it ends",
        );
    });
});
