/**
 * Entry point of the CI identities project (`ci-identities/Pulumi.yaml`):
 * `pulumi -C ci-identities preview|up`, one stack per AWS account. Validates
 * the config, then creates the OIDC provider and the CI roles. Not imported
 * by the environment program.
 */
import { deployCiIdentities, loadCiIdentitiesConfig, logCiIdentitiesWarnings } from "./ciIdentitiesProject";

const config = loadCiIdentitiesConfig();
logCiIdentitiesWarnings(config);
const outputs = deployCiIdentities(config);

export const account = outputs.account;
export const oidcProviderArn = outputs.oidcProviderArn;
export const deployRoleArns = outputs.deployRoleArns;
export const previewRoleArns = outputs.previewRoleArns;
export const imagePushRoleArn = outputs.imagePushRoleArn;
export const catalogReadRoleArn = outputs.catalogReadRoleArn;
export const backendUrl = outputs.backendUrl;
export const secretsProvider = outputs.secretsProvider;
export const githubVariables = outputs.githubVariables;
