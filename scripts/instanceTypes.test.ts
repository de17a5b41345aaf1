/**
 * lib/ec2InstanceTypes.json is the AWS SDK's own list (`aws.ec2.InstanceType`
 * of the installed @pulumi/aws): after an SDK upgrade this fails until
 * `npm run instance-types` writes the new list. Loads only the SDK's enum file.
 */
import * as fs from "fs";
import { INSTANCE_TYPES_FILE, sdkInstanceTypes } from "./instanceTypes";

describe("the instance types config validation knows", () => {
    it("are exactly the SDK's aws.ec2.InstanceType values", () => {
        expect(JSON.parse(fs.readFileSync(INSTANCE_TYPES_FILE, "utf8"))).toEqual(sdkInstanceTypes());
    });
});
