/**
 * What the three managed stores (RDS MariaDB, ElastiCache Redis, DocumentDB)
 * share: their arguments and how a superseded parameter group is handled.
 */
import * as pulumi from "@pulumi/pulumi";
import { DATA_STORE_ENVIRONMENT_DEFAULTS } from "./defaults";
import { Environment } from "../lib/environment";

export interface ManagedStoreArgs<Config> {
    /** The store's validated config section. */
    config: Config;
    /** The store's AWS identifier; pinned, because changing it replaces the store. */
    identifier: string;
    /** Private subnets, one per zone (`network.privateSubnetIds`); never public ones. */
    subnetIds: pulumi.Input<string>[];
    /** The access matrix's security group of this store, and only that one. */
    securityGroupId: pulumi.Input<string>;
    environment: Environment;
    /** Protect the store from deletion and replacement, with deletion protection where AWS has it (prod). */
    protect: boolean;
    /** Suffix of the final snapshot's name; no final snapshot when undefined. */
    finalSnapshotSuffix?: pulumi.Input<string>;
}

/**
 * Whether a replaced parameter group is left in AWS rather than deleted.
 * Where changes wait for the maintenance window (prod), the database still
 * uses the old group after an engine-family upgrade and AWS refuses to delete
 * it: Pulumi leaves it instead of failing the update (remove it by hand once
 * the upgrade has been applied).
 */
export function keepSupersededParameterGroup(environment: Environment): boolean {
    return !DATA_STORE_ENVIRONMENT_DEFAULTS[environment].applyImmediately;
}
