import { runStack } from "./harness";
test("smoke", async () => {
  const t = Date.now();
  const run = await runStack("prod");
  console.log(Date.now() - t, run.resources.length, run.resources.slice(0, 3), run.outputs);
  const p = await runStack("staging", { preview: true });
  console.log(p.resources.length, JSON.stringify(p.resources.find(r => r.type.includes("Subnet"))), p.outputs);
});
