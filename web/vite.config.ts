// The board is built into dist/, which duet serve serves at / (its assets under /assets/).
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false },
});
