/**
 * The renewal warnings as a run shows them: `InternalTls` alone under the
 * harness's mocks (a few resources, no whole program), with the run's clock
 * set to a day when the mocked certificates are due. The mocks issue every
 * certificate on MOCK_ISSUED (app/mocks.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks, serialised } from "../test/harness";
import { MOCK_ISSUED } from "./mocks";
import { TLS_DEFAULTS } from "./schema";

const DAY = 86_400_000;

async function warningsOn(now: Date): Promise<string[]> {
    const warnings: string[] = [];
    const spy = jest.spyOn(pulumi.log, "warn").mockImplementation(async (message: string) => {
        warnings.push(message);
    });
    try {
        await serialised(() =>
            runUnderMocks({ project: "iam", stack: "prod", preview: false, config: {}, secretKeys: [] }, async () => {
                const { InternalTls } = await import("./internalTls");
                new InternalTls("iam-internal-tls", {
                    namespace: "iam",
                    namespaceName: "iam",
                    servers: [{ server: "iam-apiserver", serviceName: "iam-apiserver" }],
                    config: { ...TLS_DEFAULTS },
                    now,
                    stack: "prod",
                });
                return {};
            }),
        );
    } finally {
        spy.mockRestore();
    }
    return warnings;
}

describe("InternalTls warns on the run's clock", () => {
    const issued = Date.parse(MOCK_ISSUED);

    it("says nothing while every certificate is outside its window", async () => {
        expect(await warningsOn(new Date(issued + 30 * DAY))).toEqual([]);
    });

    it("warns about a server certificate in its renewal window the state still holds, and about a CA near its end", async () => {
        const certDue = await warningsOn(new Date(issued + (TLS_DEFAULTS.validityDays - 10) * DAY));
        expect(certDue).toEqual([expect.stringMatching(/^the internal TLS certificate of iam-apiserver ends on \d{4}-\d{2}-\d{2} \(10 days left\)/)]);
        expect(certDue[0]).toContain("LocallySignedCert::iam-internal-tls-iam-apiserver-cert'");
        const caDue = await warningsOn(new Date(issued + (TLS_DEFAULTS.caValidityDays - 30) * DAY));
        expect(caDue).toEqual(expect.arrayContaining([expect.stringMatching(/^the internal CA ends on .* \(30 days left\)/)]));
    });
});
