import { CallMock, MOCK_ACCOUNT, MOCK_REGION, OutputMock } from "../lib/mockTypes";

/** The ARN Secrets Manager gives a secret: its name plus a random 6-character suffix. */
function secretArn(name: string): string {
    return `arn:aws:secretsmanager:${MOCK_REGION}:${MOCK_ACCOUNT}:secret:${name}-AbCdEf`;
}

/** The master user secret RDS / DocumentDB create for `manageMasterUserPassword`. */
function managedMasterSecret(resourceId: string): Record<string, unknown>[] {
    return [{ secretArn: secretArn(`rds!${resourceId}`), secretStatus: "active", kmsKeyId: `arn:aws:kms:${MOCK_REGION}:${MOCK_ACCOUNT}:key/aws-secretsmanager` }];
}

/** The name the provider gives a resource created without one (logical name plus a random suffix). */
export function mockAutoName(logicalName: string): string {
    return `${logicalName}-a1b2c3d`.toLowerCase();
}

/** For types whose `name` the provider generates: the given name, else an auto-name. */
const autoNamed: OutputMock = (args) => ({ name: args.inputs.name ?? mockAutoName(args.name) });

/** Outputs of the data resource types under mocks. */
export const dataOutputs: Record<string, OutputMock> = {
    "aws:rds/subnetGroup:SubnetGroup": autoNamed,
    "aws:rds/parameterGroup:ParameterGroup": autoNamed,
    "aws:elasticache/subnetGroup:SubnetGroup": autoNamed,
    "aws:docdb/subnetGroup:SubnetGroup": autoNamed,
    "aws:docdb/clusterParameterGroup:ClusterParameterGroup": autoNamed,
    "aws:rds/instance:Instance": (args) => {
        const identifier = String(args.inputs.identifier);
        const address = `${identifier}.c0abc123xyz.${MOCK_REGION}.rds.amazonaws.com`;
        return {
            address,
            endpoint: `${address}:${String(args.inputs.port ?? 3306)}`,
            resourceId: `db-${identifier.toUpperCase()}`,
            engineVersionActual: `${String(args.inputs.engineVersion)}.9`,
            masterUserSecrets: args.inputs.manageMasterUserPassword ? managedMasterSecret(`db-${identifier}`) : [],
        };
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": (args) => {
        const id = String(args.inputs.replicationGroupId);
        const nodes = Number(args.inputs.numCacheClusters ?? 1);
        return {
            primaryEndpointAddress: `master.${id}.abc123.euw1.cache.amazonaws.com`,
            readerEndpointAddress: `replica.${id}.abc123.euw1.cache.amazonaws.com`,
            memberClusters: Array.from({ length: nodes }, (_, i) => `${id}-00${i + 1}`),
            engineVersionActual: `${String(args.inputs.engineVersion)}.0`,
        };
    },
    "aws:docdb/cluster:Cluster": (args) => {
        const id = String(args.inputs.clusterIdentifier);
        return {
            endpoint: `${id}.cluster-c0abc123xyz.${MOCK_REGION}.docdb.amazonaws.com`,
            readerEndpoint: `${id}.cluster-ro-c0abc123xyz.${MOCK_REGION}.docdb.amazonaws.com`,
            clusterResourceId: `cluster-${id.toUpperCase()}`,
            masterUserSecrets: args.inputs.manageMasterUserPassword ? managedMasterSecret(`cluster-${id}`) : [],
        };
    },
    "aws:docdb/clusterInstance:ClusterInstance": (args) => ({
        endpoint: `${String(args.inputs.identifier)}.c0abc123xyz.${MOCK_REGION}.docdb.amazonaws.com`,
        writer: args.inputs.promotionTier === 0,
    }),
    "aws:secretsmanager/secret:Secret": (args) => {
        const name = String(args.inputs.name ?? mockAutoName(args.name));
        return { name, arn: secretArn(name) };
    },
    "random:index/randomPassword:RandomPassword": () => ({
        result: "mockAuthToken0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR",
        // A well-formed bcrypt hash (cost 10) of nothing in particular: the schema Job checks the form.
        bcryptHash: "$2a$10$abcdefghijklmnopqrstuvMockHashMockHashMockHashMockHas",
    }),
    "random:index/randomId:RandomId": () => ({ hex: "5eed1234", b64Url: "Xu0SNA", dec: "1592594996" }),
};

export const dataCalls: Record<string, CallMock> = {};
