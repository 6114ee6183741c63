/**
 * Where the inspection record's fonts come from: the four Tinos TTF faces of
 * @expo-google-fonts/tinos (a serif metric-compatible with Times New Roman that covers
 * Vietnamese). A Lambda bundle has no node_modules, so the record worker's bundling copies them
 * into `fonts/` beside the bundled handler (infra/bundling.ts), where `recordFonts()` looks
 * first. Read from disk, never fetched at run time.
 */
export const recordFontPackage = '@expo-google-fonts/tinos';

/** Each face's file, relative to the package. */
export const recordFontFiles = {
  regular: '400Regular/Tinos_400Regular.ttf',
  bold: '700Bold/Tinos_700Bold.ttf',
  italic: '400Regular_Italic/Tinos_400Regular_Italic.ttf',
  boldItalic: '700Bold_Italic/Tinos_700Bold_Italic.ttf',
} as const;

/** The folder beside a bundled handler that holds the faces, each under its file name. */
export const bundledFontDir = 'fonts';

/** `Tinos_400Regular.ttf` of `400Regular/Tinos_400Regular.ttf`. */
export function fontFileName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
