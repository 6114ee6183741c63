/** The image reader's factory, for `wire` (shared/adapters/wiring.ts): exifr and jpeg-js, only in the verifier. */
import { imageReader } from './reader.ts';

export const images = () => imageReader;
