/**
 * Types for the non-TypeScript imports Vite resolves (CSS Modules and plain stylesheets).
 */
declare module '*.module.css' {
  const classes: { readonly [className: string]: string };
  export default classes;
}

declare module '*.css';
