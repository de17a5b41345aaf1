import { CallMock, OutputMock } from "../lib/mockTypes";

/** The day every mocked certificate was issued: two days before the tests' clock (test/harness.ts TEST_NOW), so none is due. */
export const MOCK_ISSUED = "2026-12-01T00:00:00Z";

function validity(args: { inputs: Record<string, unknown> }): { validityStartTime: string; validityEndTime: string } {
    const hours = Number(args.inputs.validityPeriodHours ?? 0);
    return { validityStartTime: MOCK_ISSUED, validityEndTime: new Date(Date.parse(MOCK_ISSUED) + hours * 3_600_000).toISOString() };
}

/** Outputs of the app area's resource types under mocks (PEM placeholders: nothing parses them offline). */
export const appOutputs: Record<string, OutputMock> = {
    "tls:index/privateKey:PrivateKey": (args) => ({
        privateKeyPem: `-----BEGIN EC PRIVATE KEY-----\nmock-${args.name}\n-----END EC PRIVATE KEY-----\n`,
        publicKeyPem: `-----BEGIN PUBLIC KEY-----\nmock-${args.name}\n-----END PUBLIC KEY-----\n`,
    }),
    "tls:index/selfSignedCert:SelfSignedCert": (args) => ({
        certPem: `-----BEGIN CERTIFICATE-----\nmock-${args.name}\n-----END CERTIFICATE-----\n`,
        readyForRenewal: false,
        ...validity(args),
    }),
    "tls:index/certRequest:CertRequest": (args) => ({ certRequestPem: `-----BEGIN CERTIFICATE REQUEST-----\nmock-${args.name}\n-----END CERTIFICATE REQUEST-----\n` }),
    // Secrets Manager's id of the version (a UUID in AWS): the schema Job's pod template carries it (app/schemaJob.ts).
    "aws:secretsmanager/secretVersion:SecretVersion": (args) => ({ versionId: `mock-version-${args.name}` }),
    "tls:index/locallySignedCert:LocallySignedCert": (args) => ({
        certPem: `-----BEGIN CERTIFICATE-----\nmock-${args.name}\n-----END CERTIFICATE-----\n`,
        readyForRenewal: false,
        ...validity(args),
    }),
};

export const appCalls: Record<string, CallMock> = {};
