// Who the app is to the operating system. One source for the main process (Windows ties toasts to the
// AppUserModelId, which must equal the installer's appId) and for the packaging configuration.
export const APP_ID = 'dev.dmdesk.app'
export const PRODUCT_NAME = 'dmdesk'
