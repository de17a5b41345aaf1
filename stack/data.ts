/**
 * The data area's wiring: the stores, the application namespace, and what
 * External Secrets keeps in that namespace: each store's endpoint ConfigMap
 * and credentials Secret (each binary's config file is the application's:
 * stack/application.ts, after the schema Job that creates its database user).
 * iam-apiserver's JWT signing key (app/) is created here too: the
 * credentials' secret store is granted read on it, so it exists first.
 */
import { JwtSigningKey } from "../app/jwtSigningKey";
import { AppDbUser } from "../app/appDbUser";
import { DataTier } from "../data/dataTier";
import { dataIdentifierPrefix } from "../data/dataNaming";
import { DATA_STORE_ENVIRONMENT_DEFAULTS } from "../data/defaults";
import { StoreCredentials } from "../data/storeCredentials";
import { AppNamespace } from "../workloads/appNamespace";
import type { ClusterWiring } from "./cluster";
import type { DeployInputs, StackContext } from "./context";
import type { NetworkWiring } from "./network";

/** What the data area takes from the root and the areas before it. */
export interface DataHandOff {
    /** The deploy-time inputs: the RDS CA bundle look-up (the stores' connection ConfigMaps carry the bundle). */
    readonly inputs: Pick<DeployInputs, "rdsCaBundle">;
    /** The private subnets and the stores' security groups (never anything of the cluster, for the stores themselves). */
    readonly network: NetworkWiring;
    /** The Kubernetes provider and Pod Identity: the namespace and External Secrets live in the cluster. */
    readonly cluster: ClusterWiring;
}

/** What the data area hands on to the application, the edge, the workloads, the alarms and the outputs. */
export interface DataWiring {
    /** The stores: their endpoints and credentials (outputs), their identifiers (alarms, verify). */
    readonly data: DataTier;
    /** The application namespace: the application, the NetworkPolicies, the bindings and the workloads go there. */
    readonly appNamespace: AppNamespace;
    /** iam-apiserver's JWT signing key in Secrets Manager (its ARN is a stack output). */
    readonly jwtKey: JwtSigningKey;
    /** The MariaDB user iam-apiserver and iam-watcher log in as (its ARN is a stack output); none without MariaDB. */
    readonly appDbUser?: AppDbUser;
    /** The stores' ConfigMaps and credential Secrets, when any store is used: the pods and the schema Job wait for them. */
    readonly storeCredentials: StoreCredentials | undefined;
}

/** Wires the stores, the application namespace, the JWT key, the database user's secret and the store credentials. */
export function wireData(
    { name, config, awsProvider }: StackContext,
    { inputs, network: { network, access }, cluster: { cluster, providers: clusterProviders } }: DataHandOff,
): DataWiring {
    const providers = { aws: awsProvider };
    // The stores take only the private subnets and their security groups, never
    // anything of the cluster: RDS, ElastiCache and DocumentDB are created while
    // EKS is (data/dataTier.test.ts proves no store waits for the cluster).
    const data = new DataTier(
        `${name}-data`,
        {
            config: config.dataStores,
            environment: config.environment,
            protect: config.protect,
            privateSubnetIds: network.privateSubnetIds,
            securityGroupIds: access.securityGroupIds,
        },
        { providers },
    );

    // The application namespace (Pod Security restricted): the workloads run
    // here and the data tier writes the stores' ConfigMaps/Secrets here.
    const appNamespace = new AppNamespace(`${name}-app-namespace`, { namespace: config.workloads.namespace, partOf: name }, { providers: clusterProviders });
    // iam-apiserver's JWT signing key, in Secrets Manager (app/): its config file reads it.
    const jwtKey = new JwtSigningKey(
        `${name}-jwt-key`,
        {
            namePrefix: dataIdentifierPrefix(config.stack),
            recoveryWindowDays: DATA_STORE_ENVIRONMENT_DEFAULTS[config.environment].secretRecoveryWindowDays,
            protect: config.protect,
        },
        { providers },
    );
    // The MariaDB application user's password, in Secrets Manager (app/): the config files read it, the schema Job sets it.
    const appDbUser = data.endpoints.mariadb
        ? new AppDbUser(
              `${name}-app-db-user`,
              {
                  namePrefix: dataIdentifierPrefix(config.stack),
                  recoveryWindowDays: DATA_STORE_ENVIRONMENT_DEFAULTS[config.environment].secretRecoveryWindowDays,
                  protect: config.protect,
              },
              { providers },
          )
        : undefined;
    // Each store's endpoint ConfigMap and credentials Secret in that namespace,
    // kept fresh by External Secrets (RDS and DocumentDB rotate their passwords).
    const storeCredentials =
        Object.keys(data.endpoints).length > 0
            ? new StoreCredentials(
                  `${name}-store-credentials`,
                  {
                      namespace: appNamespace.name,
                      podIdentity: cluster.podIdentity,
                      region: config.region,
                      endpoints: data.endpoints,
                      sync: config.dataStores.credentialsSync,
                      rdsCaBundle: inputs.rdsCaBundle(config.region),
                      additionalSecretArns: [jwtKey.secretArn, ...(appDbUser ? [appDbUser.secretArn] : [])],
                  },
                  { providers: clusterProviders },
              )
            : undefined;
    return { data, appNamespace, jwtKey, appDbUser, storeCredentials };
}
