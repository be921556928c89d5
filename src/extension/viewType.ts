/** The preview panels' view type (package.json: activationEvents `onWebviewPanel:sgdexp.preview`).
 *  In a module of its own so activation registers the serializer without loading the preview code. */
export const PREVIEW_VIEW_TYPE = 'sgdexp.preview';
