/** Texts every page shares: errors from the station, generic words. ICU MessageFormat. */
export const common = {
  'error.forbidden.signIn': 'Sign in first: this needs the permission “{permission}”.',
  'error.forbidden.permission': '{user} may not do this: it needs the permission “{permission}”.',
  'error.unavailable': 'Not available in this station.',
  'error.internal': 'The station failed to do this; see its log.',
} as const;
