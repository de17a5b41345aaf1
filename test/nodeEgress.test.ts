/**
 * The nodes carry the access matrix's app-node group and nothing else, so
 * its rules are every flow a node (and a pod, which shares the node's group
 * under the VPC CNI) has. This is the complete list for the real stack files:
 * a rule added anywhere, by any component, fails here until it is listed.
 *
 * Not listed because security groups do not filter them: the VPC's DNS
 * resolver (VPC+2), instance metadata and Amazon Time Sync (link-local).
 */
import { ofType, ResourceRecord, runStack, StackRun } from "./harness";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

/** `direction protocol ports peer`, the way a reviewer reads a rule. */
function describe_(run: StackRun, rule: ResourceRecord, direction: "in" | "out", clusterGroup: string): string {
    const i = rule.inputs;
    const groupName = (id: unknown): string => {
        if (id === clusterGroup) {
            return "controlPlane";
        }
        const group = ofType(run, SG).find((g) => `${g.name}-id` === id);
        return (group?.inputs.tags as Record<string, string> | undefined)?.["iam/role"] ?? String(id);
    };
    const peer = i.referencedSecurityGroupId !== undefined ? groupName(i.referencedSecurityGroupId) : String(i.cidrIpv4 ?? i.cidrIpv6);
    const ports = i.ipProtocol === "-1" ? "all" : `tcp ${String(i.fromPort)}${i.fromPort === i.toPort ? "" : `-${String(i.toPort)}`}`;
    return `${direction} ${ports} ${direction === "in" ? "from" : "to"} ${peer}`;
}

function rulesOn(run: StackRun, groupId: string, clusterGroup: string): string[] {
    return [
        ...ofType(run, INGRESS)
            .filter((r) => r.inputs.securityGroupId === groupId)
            .map((r) => describe_(run, r, "in", clusterGroup)),
        ...ofType(run, EGRESS)
            .filter((r) => r.inputs.securityGroupId === groupId)
            .map((r) => describe_(run, r, "out", clusterGroup)),
    ].sort();
}

describe.each(["prod", "staging"])("node traffic in the %s stack", (stack) => {
    let run: StackRun;
    let appNodes: string;
    let clusterGroup: string;
    beforeAll(async () => {
        run = await runStack(stack);
        const group = ofType(run, SG).find((g) => (g.inputs.tags as Record<string, string>)["iam/role"] === "appNodes");
        appNodes = `${group?.name}-id`;
        clusterGroup = `sg-${run.config.cluster.name}-cluster`;
    });

    it("puts the app-node group, and only it, on every node", () => {
        const templates = ofType(run, LAUNCH_TEMPLATE);
        expect(templates.length).toBe(run.config.cluster.nodeGroups.length);
        for (const template of templates) {
            expect(template.inputs.vpcSecurityGroupIds).toEqual([appNodes]);
        }
        const group = ofType(run, SG).find((g) => `${g.name}-id` === appNodes);
        // No inline rules (the provider also removes AWS's default allow-all egress of a new group).
        expect(group?.inputs.ingress).toBeUndefined();
        expect(group?.inputs.egress).toBeUndefined();
    });

    it("opens exactly these flows on the nodes, and nothing else", () => {
        expect(rulesOn(run, appNodes, clusterGroup)).toEqual(
            [
                // The load balancer's IP targets: the public services' container ports.
                "in tcp 8080 from loadBalancer",
                "in tcp 9090 from loadBalancer",
                // Node to node: pods, CoreDNS, kubelet.
                "in all from appNodes",
                "out all to appNodes",
                // The control plane: kubelet and webhooks in, the API server out. No 8443:
                // Karpenter 1.14 serves no webhook (test/releasedUrns.test.ts, RETIRED).
                "in tcp 10250 from controlPlane",
                "in tcp 9443 from controlPlane",
                "out tcp 443 to controlPlane",
                // The data stores, each on its own port.
                "out tcp 3306 to mariadb",
                "out tcp 6379 to redis",
                "out tcp 27017 to mongodb",
                // AWS APIs: the interface endpoints, and everything else through NAT.
                "out tcp 443 to endpoints",
                "out tcp 443 to 0.0.0.0/0",
                "out tcp 443 to ::/0",
            ].sort(),
        );
    });

    it("lets the nodes into the control plane's group on 443 only, adding nothing else to it", () => {
        expect(rulesOn(run, clusterGroup, clusterGroup)).toEqual(["in tcp 443 from appNodes"]);
    });

    it("lets the interface endpoints be reached on 443 from the nodes only, and lets them reach nothing", () => {
        const group = ofType(run, SG).find((g) => (g.inputs.tags as Record<string, string>)["iam/role"] === "endpoints");
        expect(rulesOn(run, `${group?.name}-id`, clusterGroup)).toEqual(["in tcp 443 from appNodes"]);
    });

    it("creates the control-plane rules before the nodes start (they cannot join without them)", () => {
        const controlPlaneRules = [...ofType(run, INGRESS), ...ofType(run, EGRESS)].filter(
            (r) => r.inputs.securityGroupId === clusterGroup || r.inputs.referencedSecurityGroupId === clusterGroup,
        );
        expect(controlPlaneRules).toHaveLength(4);
        for (const group of ofType(run, "aws:eks/nodeGroup:NodeGroup")) {
            expect(group.dependencies).toEqual(expect.arrayContaining(controlPlaneRules.map((r) => r.urn)));
        }
    });
});
