import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GITHUB_AUDIENCE, GITHUB_OIDC_HOST } from "./ciPolicies";
import { PlannedRole } from "./ciIdentitiesPlan";

export interface CiIdentitiesArgs {
    /**
     * The roles to create (`planRoles`): each becomes an IAM role with its
     * trust and one inline policy. A role removed here is deleted, and the
     * workflow that assumed it fails at its credentials step.
     */
    roles: readonly PlannedRole[];
    /**
     * Create the account's IAM OIDC provider for GitHub. False when
     * `github.oidcProviderArn` names an existing one: IAM allows one provider
     * per URL and account, so a second create fails.
     */
    createOidcProvider: boolean;
}

/**
 * The GitHub Actions identities of one account: the IAM OIDC provider for
 * token.actions.githubusercontent.com (audience sts.amazonaws.com; no
 * thumbprint: IAM trusts GitHub's certificate through its own root CAs,
 * AWS IAM user guide, "Create an OpenID Connect (OIDC) identity provider")
 * and one role per planned role. Roles have fixed names, so their ARNs are
 * known before they exist (the environment stack files name the preview
 * roles in cluster.viewPrincipals); they wait for the provider they trust.
 */
export class CiIdentities extends pulumi.ComponentResource {
    /** Role ARN by planned role key. */
    readonly roleArns: Record<string, pulumi.Output<string>>;
    /** The OIDC provider the roles trust, when this component created it. */
    readonly oidcProvider?: aws.iam.OpenIdConnectProvider;

    constructor(name: string, args: CiIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:ci:CiIdentities", name, {}, opts);
        if (args.createOidcProvider) {
            this.oidcProvider = new aws.iam.OpenIdConnectProvider(
                `${name}-github`,
                {
                    url: `https://${GITHUB_OIDC_HOST}`,
                    clientIdLists: [GITHUB_AUDIENCE],
                    tags: { Name: `${name}-github` },
                },
                { parent: this },
            );
        }
        this.roleArns = {};
        for (const planned of args.roles) {
            const role = new aws.iam.Role(
                `${name}-${planned.key}`,
                {
                    name: planned.roleName,
                    description: planned.description.slice(0, 1000),
                    assumeRolePolicy: JSON.stringify(planned.trust),
                    ...(planned.maxSessionDuration ? { maxSessionDuration: planned.maxSessionDuration } : {}),
                    tags: { Name: planned.roleName, "ci-role": planned.kind },
                },
                { parent: this, dependsOn: this.oidcProvider ? [this.oidcProvider] : [] },
            );
            new aws.iam.RolePolicy(
                `${name}-${planned.key}`,
                {
                    role: role.name,
                    name: planned.kind,
                    policy: JSON.stringify(planned.policy),
                },
                { parent: this },
            );
            this.roleArns[planned.key] = role.arn;
        }
        this.registerOutputs({ roleArns: this.roleArns });
    }
}
