import { MOCK_REGION, CallMock, OutputMock } from "../lib/mockTypes";

/** The canonical hosted zone of ALBs in the mock region (eu-west-1). */
export const MOCK_ALB_ZONE_ID = "Z32O12XQLNTSW2";

/** The hosted zone id the mocked Route53 lookup answers for a zone name. */
export function mockZoneId(zoneName: string): string {
    return `Z${zoneName.replace(/[^a-z0-9]/gi, "").toUpperCase()}`.slice(0, 32);
}

const str = (value: unknown): string => String(value ?? "");

/** Outputs of the edge resource types under mocks. */
export const edgeOutputs: Record<string, OutputMock> = {
    "aws:lb/loadBalancer:LoadBalancer": (args) => ({
        dnsName: `${args.name}-1234567890.${MOCK_REGION}.elb.amazonaws.com`,
        zoneId: MOCK_ALB_ZONE_ID,
        arnSuffix: `app/${args.name}/50dc6c495c0c9188`,
    }),
    // The provider autonames a target group `<resource name>-<7 random>` when no name is given.
    "aws:lb/targetGroup:TargetGroup": (args) => {
        const name = str(args.inputs.name) || `${args.name}-a1b2c3d`;
        return { name, arnSuffix: `targetgroup/${args.name}/73e2d6bc24d8a067` };
    },
    // ACM answers one CNAME per name on the certificate.
    "aws:acm/certificate:Certificate": (args) => {
        const names = [str(args.inputs.domainName), ...((args.inputs.subjectAlternativeNames as string[] | undefined) ?? [])];
        return {
            domainValidationOptions: names.map((domainName) => ({
                domainName,
                resourceRecordName: `_a79865eb4cd1a6ab990a45779b4e0b96.${domainName}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_424c7224e9b0146f9a8808af955727d0.acm-validations.aws.`,
            })),
        };
    },
    "aws:route53/record:Record": (args) => ({ fqdn: str(args.inputs.name).replace(/\.$/, "") }),
    // The provider autonames a bucket when no name is given.
    "aws:s3/bucket:Bucket": (args) => {
        const bucket = str(args.inputs.bucket) || `${args.name}-a1b2c3d`.toLowerCase();
        return { bucket, arn: `arn:aws:s3:::${bucket}` };
    },
};

export const edgeCalls: Record<string, CallMock> = {
    "aws:route53/getZone:getZone": (args) => {
        const name = str(args.inputs.name);
        return { id: mockZoneId(name), zoneId: mockZoneId(name), name, privateZone: false, nameServers: ["ns-1.awsdns-01.org"] };
    },
};
