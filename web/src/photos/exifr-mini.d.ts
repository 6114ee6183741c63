/** exifr's smallest browser build (JPEG EXIF and GPS only, about 9 KB gzipped): the same API. */
declare module 'exifr/dist/mini.esm.mjs' {
  export { gps } from 'exifr';
}
