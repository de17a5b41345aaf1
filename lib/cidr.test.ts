import { cidrContains, cidrsOverlap, parseCidr, planSubnets, Ipv4Cidr } from "./cidr";

function cidr(text: string): Ipv4Cidr {
    const parsed = parseCidr(text);
    if (typeof parsed === "string") {
        throw new Error(parsed);
    }
    return parsed;
}

describe("parseCidr", () => {
    it("rejects malformed ranges and host bits, with the reason", () => {
        expect(parseCidr("10.0.0.0")).toMatch(/must be an IPv4 CIDR/);
        expect(parseCidr("10.0.0.256/16")).toMatch(/octets 0-255/);
        expect(parseCidr("10.0.0.0/33")).toMatch(/prefix 0-32/);
        expect(parseCidr("10.0.0.1/16")).toMatch(/host bits set: the network address is 10.0.0.0\/16/);
        // Forms other tools read as something else (octal, short): AWS takes four decimal octets only.
        expect(parseCidr("010.0.0.0/16")).toMatch(/octets 0-255/);
        expect(parseCidr("10.1/16")).toMatch(/must be an IPv4 CIDR like/);
        expect(parseCidr("0.0.0.0/0")).toEqual({ base: 0, prefix: 0 });
        expect(parseCidr("255.255.255.255/32")).toEqual({ base: 2 ** 32 - 1, prefix: 32 });
    });

    it("detects overlap and containment", () => {
        expect(cidrsOverlap(cidr("10.0.0.0/16"), cidr("10.0.128.0/17"))).toBe(true);
        expect(cidrsOverlap(cidr("10.0.0.0/16"), cidr("10.1.0.0/16"))).toBe(false);
        expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.0.4.0/22"))).toBe(true);
        expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.1.4.0/22"))).toBe(false);
        // Same network address, larger block: it overlaps, but is not inside.
        expect(cidrContains(cidr("10.0.0.0/22"), cidr("10.0.0.0/16"))).toBe(false);
        expect(cidrsOverlap(cidr("10.0.0.0/22"), cidr("10.0.0.0/16"))).toBe(true);
        expect(cidrContains(cidr("0.0.0.0/0"), cidr("203.0.113.0/24"))).toBe(true);
    });
});

describe("planSubnets", () => {
    const plan = planSubnets("10.20.0.0/16", 3, 19, 22);
    const all = [...plan.private, ...plan.public].map(cidr);

    it("gives every zone one private and one public subnet of the requested sizes", () => {
        expect(plan.private).toEqual(["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"]);
        expect(plan.public).toEqual(["10.20.128.0/22", "10.20.132.0/22", "10.20.136.0/22"]);
    });

    it("keeps every subnet inside the VPC and apart from every other", () => {
        const vpc = cidr("10.20.0.0/16");
        for (const [i, a] of all.entries()) {
            expect(cidrContains(vpc, a)).toBe(true);
            for (const b of all.slice(i + 1)) {
                expect(cidrsOverlap(a, b)).toBe(false);
            }
        }
    });

    it("does not move a public subnet when a zone is added up to the reserved count", () => {
        expect(planSubnets("10.20.0.0/16", 4, 19, 22).public.slice(0, 3)).toEqual(plan.public);
        expect(planSubnets("10.20.0.0/16", 4, 19, 22).private.slice(0, 3)).toEqual(plan.private);
    });

    it("aligns public subnets when the private block is not a multiple of their size", () => {
        const odd = planSubnets("10.0.0.0/20", 3, 25, 22);
        expect(odd.public[0]).toBe("10.0.4.0/22");
        for (const subnet of odd.public) {
            const c = cidr(subnet);
            expect(c.base % 2 ** (32 - c.prefix)).toBe(0);
        }
    });

    it("refuses a layout that does not fit, naming the sizes", () => {
        expect(() => planSubnets("10.20.0.0/20", 3, 19, 22)).toThrow(/must be longer than the VPC's \/20/);
        expect(() => planSubnets("10.20.0.0/18", 3, 19, 22)).toThrow(/3 private \/19 and 3 public \/22 subnets do not fit in 10.20.0.0\/18/);
    });
});
