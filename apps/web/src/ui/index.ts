/** Building blocks every screen uses: widgets, formatting, branding, tables and loading. */
export { Alert, type AlertType, ErrorAlert } from './alert.tsx';
export { applyBranding, type BrandingToken, brandingProperties, getContrastRatio } from './branding.ts';
export { Button } from './button.tsx';
export { type Column, DataTable } from './data-table.tsx';
export { FileDropZone } from './file-drop-zone.tsx';
export { CheckboxField, FieldShell, SelectField, TextAreaField, TextField } from './form-field.tsx';
export { formatBytes, formatDateTime } from './format.ts';
export { LoadedTable } from './loaded-table.tsx';
export { Page, Section } from './page.tsx';
export { EmptyState, Loading } from './status.tsx';
export { type Loaded, useLoad } from './use-load.ts';
