/**
 * Writes lib/ec2InstanceTypes.json from the AWS SDK's own enum
 * (`aws.ec2.InstanceType` in @pulumi/aws), so config validation knows every
 * instance type without loading the SDK. `npm run instance-types` after an
 * @pulumi/aws upgrade; lib/instanceTypes.test.ts fails while the list is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { InstanceType } from "@pulumi/aws/types/enums/ec2";

/** The SDK's instance types, sorted and unique. */
export function sdkInstanceTypes(): string[] {
    return [...new Set(Object.values(InstanceType) as string[])].sort();
}

export const INSTANCE_TYPES_FILE = path.resolve(__dirname, "..", "lib", "ec2InstanceTypes.json");

if (require.main === module) {
    fs.writeFileSync(INSTANCE_TYPES_FILE, `${JSON.stringify(sdkInstanceTypes())}\n`);
    console.log(`wrote ${sdkInstanceTypes().length} instance types to ${path.relative(process.cwd(), INSTANCE_TYPES_FILE)}`);
}
