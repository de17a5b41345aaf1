import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EdgeConfig } from "./schema";
import { ServiceSpec } from "../workloads/schema";
import { targetRegistrationTag } from "../cluster/loadBalancerControllerPolicy";
import { ACCESS_LOG_PREFIX, AccessLogs } from "./accessLogs";
import { EdgeBindingsArgs, TargetGroupBindings } from "./targetGroupBindings";
import { Waf } from "./waf";
import { wafHosts } from "./wafPlan";
import { aliasRecordTypes, certificateNames, forwardPlan, ipTargetAvailabilityZone, PublicRoute, publicRoutes, targetGroupResourceName } from "./edgeRouting";

export interface EdgeArgs {
    /** The validated `edge` config: zone, TLS policy, health checks, access logs, legacy migration. */
    config: EdgeConfig;
    /** The service catalog; every service with `public` gets a host, a target group and a rule. */
    services: readonly ServiceSpec[];
    /** The stack's region (selects the ELB log-delivery principal of the access-log bucket). */
    region: string;
    /** The VPC of the target groups. */
    vpcId: pulumi.Input<string>;
    /** The VPC's CIDR: legacy IP targets outside it are registered with availabilityZone `all`. */
    vpcCidr: string;
    /** One public subnet per zone: the load balancer spans them all (at least two). */
    publicSubnetIds: pulumi.Input<string>[];
    /** The access matrix's load-balancer group; the only group the load balancer gets. */
    loadBalancerSecurityGroupId: pulumi.Input<string>;
    /**
     * The stack's name: each service target group is tagged
     * `iam/target-registration: <stack>`, the tag this stack's load balancer
     * controller may register targets under (and no other's).
     */
    stack: string;
    /**
     * The TargetGroupBindings' cluster side (namespace, public Services, the
     * controller to wait for): the ONLY inputs here that come from the
     * cluster. The bindings and the listener rules wait for them; the
     * certificate, load balancer, listeners, target groups and DNS records are
     * created in parallel with the cluster. Needs the `kubernetes` provider in
     * `providers`.
     */
    bindings: EdgeBindingsArgs;
    /** Prod: deletion protection on the load balancer, the access-log bucket protected. */
    protect: boolean;
    /** Stem of account-unique names (`iam-<stack>`): the web ACL and its log group. Changing it replaces the ACL. */
    namePrefix: string;
    /**
     * Serve IPv6 too (AAAA records). Only when the VPC and its public subnets
     * have IPv6 CIDRs; the Network component has none today. Default false.
     */
    dualStack?: boolean;
}

/**
 * The HTTPS entry that replaces the Nginx + Keepalived pair: an ACM
 * certificate for every public host (validated through Route53), an
 * internet-facing ALB across every zone's public subnet, 443 with a TLS 1.3
 * policy routing by host header to one target group per service (IP targets:
 * the pods, registered by the AWS Load Balancer Controller through one
 * TargetGroupBinding each; health-checked), 80 answering only a 301 to
 * HTTPS, and Route53 aliases. Optionally splits hosts by weight between the
 * cluster and the legacy VMs. Only the bindings and the host rules (which
 * wait for their binding, so a rule never sends traffic to a target group
 * nobody registers into) wait for the cluster.
 */
export class Edge extends pulumi.ComponentResource {
    readonly loadBalancerArn: pulumi.Output<string>;
    /** `app/<name>/<id>`: the CloudWatch `LoadBalancer` dimension. */
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    readonly loadBalancerDnsName: pulumi.Output<string>;
    /** The load balancer's canonical hosted zone (for alias records elsewhere). */
    readonly loadBalancerZoneId: pulumi.Output<string>;
    /** Target group ARN by service name. */
    readonly targetGroupArns: Record<string, pulumi.Output<string>>;
    /** `targetgroup/<name>/<id>` by service name: the CloudWatch `TargetGroup` dimension. */
    readonly targetGroupArnSuffixes: Record<string, pulumi.Output<string>>;
    /** The legacy target group's ARN suffix while migrating. */
    readonly legacyTargetGroupArnSuffix?: pulumi.Output<string>;
    /** The certificate's ARN, resolved only once ACM has validated it. */
    readonly certificateArn: pulumi.Output<string>;
    /** `https://<host>` by service name. */
    readonly serviceUrls: Record<string, string>;
    /** The routing plan (pure data), for reports and tests. */
    readonly routes: PublicRoute[];
    /**
     * The HTTPS host rules; each is in place only once its binding has
     * registered the pods. The public Services wait for them.
     */
    readonly hostRules: aws.lb.ListenerRule[];
    /** The web ACL's name (the AWS/WAFV2 `WebACL` dimension), when WAF is on. */
    readonly webAclName?: pulumi.Output<string>;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iam:edge:Edge", name, {}, opts);
        const { config } = args;
        this.routes = publicRoutes(args.services, config.legacy);
        if (args.publicSubnetIds.length < 2) {
            throw new Error(`${name}: an Application Load Balancer needs public subnets in at least two zones, got ${args.publicSubnetIds.length}`);
        }

        const zoneId =
            config.hostedZoneId !== undefined
                ? pulumi.output(config.hostedZoneId)
                : aws.route53.getZoneOutput({ name: config.hostedZone, privateZone: false }, { parent: this }).zoneId;

        const certificateArn = this.certificate(name, zoneId);

        const logs = config.accessLogs.enabled
            ? new AccessLogs(`${name}-access-logs`, { retentionDays: config.accessLogs.retentionDays, region: args.region, protect: args.protect }, { parent: this })
            : undefined;
        const alb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                loadBalancerType: "application",
                internal: false,
                ipAddressType: args.dualStack ? "dualstack" : "ipv4",
                subnets: args.publicSubnetIds,
                securityGroups: [args.loadBalancerSecurityGroupId],
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "defensive",
                enableHttp2: true,
                idleTimeout: config.idleTimeoutSeconds,
                enableDeletionProtection: args.protect,
                accessLogs: logs ? { bucket: logs.bucketName, prefix: ACCESS_LOG_PREFIX, enabled: true } : undefined,
                tags: { Name: `${name}-alb` },
            },
            { parent: this, dependsOn: logs ? [logs] : [] },
        );

        // The web ACL waits only for the load balancer (its association does).
        const waf = config.waf.enabled
            ? new Waf(`${name}-waf`, { config: config.waf, namePrefix: args.namePrefix, loadBalancerArn: alb.arn, hosts: wafHosts(args.services) }, { parent: this })
            : undefined;
        this.webAclName = waf?.webAclName;

        const targetGroups = this.serviceTargetGroups(name, args);
        const bindings = new TargetGroupBindings(
            `${name}-bindings`,
            {
                ...args.bindings,
                routes: this.routes,
                targetGroups,
                vpcId: args.vpcId,
            },
            { parent: this },
        );
        const legacy = config.legacy ? this.legacyTargetGroup(name, args, config.legacy) : undefined;

        // 80 never serves content: every request is told to come back over HTTPS.
        new aws.lb.Listener(
            `${name}-http`,
            {
                loadBalancerArn: alb.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                tags: { Name: `${name}-http` },
            },
            { parent: this },
        );
        const https = new aws.lb.Listener(
            `${name}-https`,
            {
                loadBalancerArn: alb.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: config.tlsPolicy,
                certificateArn,
                // A host the catalog does not know gets a plain 404, never a default backend.
                defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Not Found", statusCode: "404" } }],
                tags: { Name: `${name}-https` },
            },
            { parent: this },
        );

        this.hostRules = [];
        for (const route of this.routes) {
            const arnOf = (target: "service" | "legacy"): pulumi.Output<string> => {
                const group = target === "service" ? targetGroups[route.service] : legacy;
                if (!group) {
                    throw new Error(`${name}: ${route.fqdn} forwards to the legacy system, which is not configured`);
                }
                return group.arn;
            };
            const plan = forwardPlan(route);
            const action: aws.types.input.lb.ListenerRuleAction =
                plan.length === 1
                    ? { type: "forward", targetGroupArn: arnOf(plan[0].target) }
                    : { type: "forward", forward: { targetGroups: plan.map((t) => ({ arn: arnOf(t.target), weight: t.weight })) } };
            this.hostRules.push(
                new aws.lb.ListenerRule(
                    `${name}-${route.service}`,
                    {
                        listenerArn: https.arn,
                        priority: route.priority,
                        conditions: [{ hostHeader: { values: [route.fqdn] } }],
                        actions: [action],
                        tags: { Name: `${name}-${route.service}` },
                    },
                    {
                        parent: this,
                        // Not before the controller has registered the pods: on the move from
                        // instance targets, the rule switches to the new (ip) group only then.
                        dependsOn: [bindings.bindings[route.service]],
                    },
                ),
            );

            for (const type of aliasRecordTypes(args.dualStack ?? false)) {
                new aws.route53.Record(
                    `${name}-${route.fqdn}-${type.toLowerCase()}`,
                    {
                        zoneId,
                        name: route.fqdn,
                        type,
                        aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
                        allowOverwrite: config.overwriteDnsRecords,
                    },
                    { parent: this },
                );
            }
        }

        this.loadBalancerArn = alb.arn;
        this.loadBalancerArnSuffix = alb.arnSuffix;
        this.loadBalancerDnsName = alb.dnsName;
        this.loadBalancerZoneId = alb.zoneId;
        this.targetGroupArns = Object.fromEntries(Object.entries(targetGroups).map(([service, group]) => [service, group.arn]));
        this.targetGroupArnSuffixes = Object.fromEntries(Object.entries(targetGroups).map(([service, group]) => [service, group.arnSuffix]));
        this.legacyTargetGroupArnSuffix = legacy?.arnSuffix;
        this.certificateArn = certificateArn;
        this.serviceUrls = Object.fromEntries(this.routes.map((r) => [r.service, `https://${r.fqdn}`]));
        this.registerOutputs({
            loadBalancerArn: this.loadBalancerArn,
            loadBalancerDnsName: this.loadBalancerDnsName,
            loadBalancerZoneId: this.loadBalancerZoneId,
            targetGroupArns: this.targetGroupArns,
            certificateArn: this.certificateArn,
            serviceUrls: this.serviceUrls,
        });
    }

    /**
     * One certificate naming every public host, a DNS validation record per
     * name, and the validation itself: its ARN output resolves only once ACM
     * has issued the certificate, so the HTTPS listener waits for that.
     */
    private certificate(name: string, zoneId: pulumi.Output<string>): pulumi.Output<string> {
        const names = certificateNames(this.routes);
        const certificate = new aws.acm.Certificate(
            `${name}-cert`,
            {
                domainName: names.domainName,
                subjectAlternativeNames: names.subjectAlternativeNames,
                validationMethod: "DNS",
                keyAlgorithm: "RSA_2048",
                tags: { Name: `${name}-cert` },
            },
            { parent: this },
        );
        const records = [names.domainName, ...names.subjectAlternativeNames].map((fqdn) => {
            const option = certificate.domainValidationOptions.apply((options) => {
                const found = options.find((o) => o.domainName === fqdn);
                if (!found) {
                    throw new Error(`${name}: ACM returned no DNS validation record for ${fqdn}`);
                }
                return found;
            });
            return new aws.route53.Record(
                `${name}-validation-${fqdn}`,
                {
                    zoneId,
                    name: option.resourceRecordName,
                    type: option.resourceRecordType,
                    records: [option.resourceRecordValue],
                    ttl: 300,
                    // ACM's validation record for a name is the same for every
                    // certificate of this account: a replacement certificate (or
                    // an earlier manual one) may already have put it there.
                    allowOverwrite: true,
                },
                { parent: this },
            );
        });
        const validation = new aws.acm.CertificateValidation(
            `${name}-cert-validation`,
            {
                certificateArn: certificate.arn,
                validationRecordFqdns: records.map((r) => r.fqdn),
            },
            { parent: this },
        );
        return validation.certificateArn;
    }

    /**
     * One IP target group per exposed service, on the public container port.
     * The targets are the pods, registered by the controller. It is autonamed
     * (`<resource name>-<random>`), so a replacement (the move from instance
     * targets, a port change) creates the new group before the old one is
     * deleted, without a name clash; the rule moves to it in between.
     */
    private serviceTargetGroups(name: string, args: EdgeArgs): Record<string, aws.lb.TargetGroup> {
        const { config } = args;
        const groups: Record<string, aws.lb.TargetGroup> = {};
        for (const route of this.routes) {
            const groupName = targetGroupResourceName(name, route.service);
            const group = new aws.lb.TargetGroup(
                groupName,
                {
                    vpcId: args.vpcId,
                    targetType: "ip",
                    ipAddressType: "ipv4",
                    port: route.targetPort,
                    protocol: "HTTP",
                    protocolVersion: "HTTP1",
                    deregistrationDelay: config.deregistrationDelaySeconds,
                    healthCheck: {
                        enabled: true,
                        protocol: "HTTP",
                        port: "traffic-port",
                        path: route.healthPath,
                        matcher: config.healthCheck.matcher,
                        interval: config.healthCheck.intervalSeconds,
                        timeout: config.healthCheck.timeoutSeconds,
                        healthyThreshold: config.healthCheck.healthyThreshold,
                        unhealthyThreshold: config.healthCheck.unhealthyThreshold,
                    },
                    tags: { Name: `${name}-${route.service}`, "iam/service": route.service, ...targetRegistrationTag(args.stack) },
                },
                { parent: this },
            );
            groups[route.service] = group;
        }
        return groups;
    }

    /**
     * The legacy front door as IP targets, and the load-balancer egress to
     * reach it (the access matrix lets the load balancer reach only the pods'
     * public ports; this migration-only flow is added here and goes with it).
     * Registered by Pulumi, never by the controller: not tagged for it.
     */
    private legacyTargetGroup(name: string, args: EdgeArgs, legacy: NonNullable<EdgeConfig["legacy"]>): aws.lb.TargetGroup {
        const { config } = args;
        const group = new aws.lb.TargetGroup(
            `${name}-legacy`,
            {
                vpcId: args.vpcId,
                targetType: "ip",
                ipAddressType: "ipv4",
                port: legacy.port,
                protocol: legacy.protocol,
                protocolVersion: "HTTP1",
                deregistrationDelay: config.deregistrationDelaySeconds,
                healthCheck: {
                    enabled: true,
                    protocol: legacy.protocol,
                    port: "traffic-port",
                    path: legacy.healthCheckPath,
                    matcher: config.healthCheck.matcher,
                    interval: config.healthCheck.intervalSeconds,
                    timeout: config.healthCheck.timeoutSeconds,
                    healthyThreshold: config.healthCheck.healthyThreshold,
                    unhealthyThreshold: config.healthCheck.unhealthyThreshold,
                },
                tags: { Name: `${name}-legacy`, "iam/service": "legacy" },
            },
            { parent: this },
        );
        for (const ip of legacy.backends) {
            const suffix = ip.replace(/\./g, "-");
            new aws.lb.TargetGroupAttachment(
                `${name}-legacy-${suffix}`,
                {
                    targetGroupArn: group.arn,
                    targetId: ip,
                    port: legacy.port,
                    availabilityZone: ipTargetAvailabilityZone(ip, args.vpcCidr),
                },
                { parent: this },
            );
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-legacy-${suffix}`,
                {
                    securityGroupId: args.loadBalancerSecurityGroupId,
                    description: "Load balancer to a legacy backend during the weighted migration",
                    ipProtocol: "tcp",
                    fromPort: legacy.port,
                    toPort: legacy.port,
                    cidrIpv4: `${ip}/32`,
                    tags: { Name: `${name}-legacy-${suffix}` },
                },
                { parent: this },
            );
        }
        return group;
    }
}
