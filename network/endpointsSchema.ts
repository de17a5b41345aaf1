/**
 * `network.endpoints`: private AWS endpoints in the VPC, so image layers,
 * registry, STS, logs, secrets, queue and Pod Identity calls stay off the NAT
 * gateways (cost and exposure). Pure: zod only.
 */
import { z } from "zod";
import type { Environment } from "../lib/environment";

/**
 * The AWS services that get an interface endpoint (`com.amazonaws.<region>.<name>`),
 * with private DNS, in every private subnet: image pulls (ecr.api, ecr.dkr;
 * the layers come from S3 through the gateway endpoint), STS (IRSA), CloudWatch
 * Logs, Secrets Manager (External Secrets), SQS (Karpenter's interruption
 * queue) and eks-auth (EKS Pod Identity). Everything else (EC2, EKS, SSM, ELB
 * APIs) still leaves through the NAT gateways on 443.
 */
export const INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "sts", "logs", "secretsmanager", "sqs", "eks-auth"] as const;
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

/** The section's schema; defaults differ by environment (interface endpoints on in prod, off in staging). */
export function endpointsSchema(environment: Environment) {
    return z
        .strictObject(
            {
                interface: z
                    .boolean({ error: "must be true or false (interface endpoints for ECR, STS, logs, Secrets Manager, SQS and eks-auth)" })
                    .default(environment === "prod")
                    .meta({
                        description:
                            "Interface endpoints with private DNS for every service in INTERFACE_ENDPOINT_SERVICES, in the private subnets, behind the access matrix's `endpoints` group. Default: on in prod, off in staging (about 170 USD a month for 7 services in 3 zones; docs/foundation.md).",
                    }),
                s3Gateway: z
                    .boolean({ error: "must be true or false (the S3 gateway endpoint on the private route tables)" })
                    .default(true)
                    .meta({ description: "An S3 gateway endpoint on the private route tables: ECR image layers and other S3 traffic bypass the NAT gateways. Free; default on." }),
            },
            { error: (issue) => (issue.code === "invalid_type" ? "must be a map with interface and/or s3Gateway (true or false)" : undefined) },
        )
        .default({ interface: environment === "prod", s3Gateway: true });
}

export type EndpointsConfig = z.output<ReturnType<typeof endpointsSchema>>;
