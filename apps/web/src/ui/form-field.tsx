import type { InputHTMLAttributes, ReactNode } from 'react';

interface FieldShellProps {
  id: string;
  label: ReactNode;
  description?: ReactNode | undefined;
  error?: ReactNode | undefined;
  kind: 'text' | 'checkbox' | 'select' | 'textarea';
  children: (describedBy: string | undefined, isInvalid: boolean) => ReactNode;
}

/**
 * The Utrecht form-field structure: label, description and error message tied to the control
 * with `aria-describedby`, so a screen reader reads them with the field.
 */
export function FieldShell({ id, label, description, error, kind, children }: FieldShellProps) {
  const isInvalid = Boolean(error);
  const describedBy = [description ? `${id}-description` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ');
  const control = children(describedBy || undefined, isInvalid);
  const labelElement = (
    <label
      className={`utrecht-form-label utrecht-form-label--${kind === 'checkbox' ? 'checkbox' : 'text'}`}
      htmlFor={id}
    >
      {label}
    </label>
  );
  return (
    <div
      className={`utrecht-form-field utrecht-form-field--${kind}${isInvalid ? ' utrecht-form-field--invalid' : ''}`}
    >
      {kind === 'checkbox' ? (
        <div className="utrecht-form-field__label utrecht-form-field__label--checkbox zegel-checkbox-row">
          {control}
          {labelElement}
        </div>
      ) : (
        <div className="utrecht-form-field__label">{labelElement}</div>
      )}
      {description ? (
        <div
          className="utrecht-form-field__description utrecht-form-field-description"
          id={`${id}-description`}
        >
          {description}
        </div>
      ) : null}
      {error ? (
        <div
          className="utrecht-form-field__error-message utrecht-form-field-error-message"
          id={`${id}-error`}
        >
          {error}
        </div>
      ) : null}
      {kind === 'checkbox' ? null : <div className="utrecht-form-field__input">{control}</div>}
    </div>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'> & {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  description?: ReactNode | undefined;
  error?: ReactNode | undefined;
};

export function TextField({
  id,
  label,
  description,
  error,
  value,
  onChange,
  className,
  ...input
}: TextFieldProps) {
  return (
    <FieldShell id={id} label={label} description={description} error={error} kind="text">
      {(describedBy, isInvalid) => (
        <input
          {...input}
          id={id}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          className={`utrecht-textbox utrecht-textbox--html-input${isInvalid ? ' utrecht-textbox--invalid' : ''}${className ? ` ${className}` : ''}`}
          aria-describedby={describedBy}
          aria-invalid={isInvalid || undefined}
        />
      )}
    </FieldShell>
  );
}

interface CheckboxFieldProps {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  description?: ReactNode | undefined;
  error?: ReactNode | undefined;
}

export function CheckboxField({ id, label, checked, onChange, description, error }: CheckboxFieldProps) {
  return (
    <FieldShell id={id} label={label} description={description} error={error} kind="checkbox">
      {(describedBy, isInvalid) => (
        <input
          type="checkbox"
          id={id}
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
          className="utrecht-checkbox utrecht-checkbox--html-input"
          aria-describedby={describedBy}
          aria-invalid={isInvalid || undefined}
        />
      )}
    </FieldShell>
  );
}

interface SelectFieldProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  description?: ReactNode | undefined;
  error?: ReactNode | undefined;
}

export function SelectField({ id, label, value, onChange, options, description, error }: SelectFieldProps) {
  return (
    <FieldShell id={id} label={label} description={description} error={error} kind="select">
      {(describedBy, isInvalid) => (
        <select
          id={id}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          className={`utrecht-select utrecht-select--html-select${isInvalid ? ' utrecht-select--invalid' : ''}`}
          aria-describedby={describedBy}
          aria-invalid={isInvalid || undefined}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

interface TextAreaFieldProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  description?: ReactNode | undefined;
  error?: ReactNode | undefined;
  rows?: number;
}

export function TextAreaField({
  id,
  label,
  value,
  onChange,
  description,
  error,
  rows = 3,
}: TextAreaFieldProps) {
  return (
    <FieldShell id={id} label={label} description={description} error={error} kind="textarea">
      {(describedBy, isInvalid) => (
        <textarea
          id={id}
          value={value}
          rows={rows}
          onChange={(event) => onChange(event.target.value)}
          className={`utrecht-textarea utrecht-textarea--html-textarea${isInvalid ? ' utrecht-textarea--invalid' : ''}`}
          aria-describedby={describedBy}
          aria-invalid={isInvalid || undefined}
        />
      )}
    </FieldShell>
  );
}
