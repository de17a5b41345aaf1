/**
 * Asks AWS who is running Pulumi and whether the cluster exists, then applies
 * cluster/deployerPlan.ts's guards. `deployEnvironment` (stack.ts) awaits it
 * before the first resource, like the image look-up: invokes run in previews
 * too, so a wrong account or a misplaced admin fails `pulumi preview` with
 * nothing created. Uses the default AWS provider (the stack's `aws:region`),
 * so it registers no resource. Needs sts:GetCallerIdentity, iam:GetRole (the
 * session context reads an assumed role's path), eks:ListClusters and, for
 * an existing cluster, eks:DescribeAccessEntry (read-only actions).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessEntryCandidates, DeployerConfig, DeployerFacts, deployerVerdict, isAssumedRoleSession, listedAt } from "./deployerPlan";

/** Thrown when the identity running Pulumi may not deploy the stack. A RunError: Pulumi prints the message alone. */
export class DeployerError extends pulumi.RunError {
    constructor(readonly problems: readonly string[]) {
        super(problems.length === 1 ? problems[0] : `The identity running Pulumi cannot deploy this stack:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "DeployerError";
    }
}

/** What AWS says about the caller and the cluster. */
export async function deployerFacts(config: DeployerConfig & { region: string }): Promise<DeployerFacts> {
    const caller = await aws.getCallerIdentity({});
    // An assumed role's access entry names the role (with its path), never the session.
    const principalArn = isAssumedRoleSession(caller.arn) ? (await aws.iam.getSessionContext({ arn: caller.arn })).issuerArn : caller.arn;
    const facts: DeployerFacts = { callerAccount: caller.accountId, callerArn: caller.arn, principalArn, clusterExists: false };
    if (config.accountId !== undefined && caller.accountId !== config.accountId) {
        return facts;
    }
    const clusters = await aws.eks.getClusters({ region: config.region });
    facts.clusterExists = clusters.names.includes(config.clusterName);
    if (facts.clusterExists && listedAt(config.adminPrincipals, principalArn) < 0) {
        for (const candidate of accessEntryCandidates(principalArn)) {
            facts.hasAccessEntry = await hasAccessEntry(config.clusterName, candidate, config.region);
            if (facts.hasAccessEntry) break;
        }
    }
    return facts;
}

async function hasAccessEntry(clusterName: string, principalArn: string, region: string): Promise<boolean> {
    try {
        await aws.eks.getAccessEntry({ clusterName, principalArn, region });
        return true;
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // A missing entry: EKS's ResourceNotFoundException, or the provider's own not-found wording.
        if (/ResourceNotFound|couldn't find resource|not found/i.test(message)) {
            return false;
        }
        throw new Error(`checking the access entry of ${principalArn} on cluster ${clusterName}: ${message}`);
    }
}

/**
 * Throws DeployerError when the caller's account is not `iam:accountId`, or
 * the caller breaks the admin rule (deployerPlan.ts); logs the warnings.
 */
export async function checkDeployer(config: DeployerConfig & { region: string }, warn: (message: string) => void = (m) => pulumi.log.warn(m)): Promise<void> {
    const verdict = deployerVerdict(config, await deployerFacts(config), pulumi.runtime.isDryRun());
    for (const warning of verdict.warnings) {
        warn(warning);
    }
    if (verdict.problems.length > 0) {
        throw new DeployerError(verdict.problems);
    }
}
