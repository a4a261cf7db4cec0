// Starts `duet serve` on a free port for the board's tests and measurements; resolves with the
// address it printed (with its token) and the process.
import { spawn } from "node:child_process";

export function startServe(duet, project, board, extra = []) {
  const server = spawn(duet, ["serve", project, "--port", "0", "--board", board, ...extra], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let text = "";
    server.stdout.on("data", (d) => {
      text += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(text);
      if (m) resolve({ url: m[1], server });
    });
    server.on("exit", (code) => reject(new Error(`duet serve exited (${code}) before it listened`)));
    setTimeout(() => reject(new Error("duet serve did not start in 60 s")), 60000);
  });
}
