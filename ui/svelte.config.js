/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  // Runes everywhere: no component silently falls back to Svelte 4 semantics.
  compilerOptions: { runes: true },
};
