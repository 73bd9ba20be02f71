import { Button as NlButton } from '@nl-design-system-candidate/button-react';
import type { ButtonHTMLAttributes, ReactNode } from 'react';

type Purpose = 'primary' | 'secondary' | 'subtle';

const utrechtClass: Record<Purpose, string> = {
  primary: 'utrecht-button utrecht-button--primary-action',
  secondary: 'utrecht-button utrecht-button--secondary-action',
  subtle: 'utrecht-button utrecht-button--subtle',
};

interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children' | 'disabled'> {
  purpose?: Purpose;
  children: ReactNode;
  /** While busy the button stays focusable but does nothing (aria-disabled, not disabled). */
  isBusy?: boolean;
  isDanger?: boolean;
}

/** The NL Design System button, styled by the Utrecht tokens of our theme. */
export function Button({
  purpose = 'secondary',
  isBusy = false,
  isDanger = false,
  className,
  onClick,
  type,
  ...rest
}: ButtonProps) {
  const classes = [
    utrechtClass[purpose],
    isDanger ? 'utrecht-button--danger zegel-button--danger' : '',
    isBusy ? 'utrecht-button--busy' : '',
    className ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <NlButton
      {...rest}
      type={type ?? 'button'}
      purpose={purpose}
      busy={isBusy}
      className={classes}
      onClick={(event) => {
        if (isBusy) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
    />
  );
}
