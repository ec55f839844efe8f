/**
 * The flows and theme a new project starts with. Latchkey does not run flows (the documents are opaque,
 * reference §3.9); these exist so tooling that lists, exports and re-imports a fresh project's flows finds
 * what it finds in Descope (the Ruby SDK's integration tests expect more than five flows, among them
 * `sign-up-or-in` named "Sign Up or In" with more than one screen, and a theme with a CSS template).
 */
type Screen = {
  id: string;
  inputs: Record<string, unknown>;
  interactions: { id: string; type: string }[];
  htmlTemplate: string;
};
type DefaultFlow = { id: string; name: string; description: string; steps: string[]; screens: Screen[] };

const screen = (id: string, title: string, fields: string[], actions: string[]): Screen => ({
  id,
  inputs: Object.fromEntries(
    fields.map((f) => [f, { type: f === 'password' ? 'password' : 'string', required: true }]),
  ),
  interactions: actions.map((a) => ({ id: a, type: 'button' })),
  htmlTemplate: `<descope-container direction="column"><descope-text variant="h2">${title}</descope-text>${fields
    .map((f) => `<descope-text-field name="${f}" label="${f}"></descope-text-field>`)
    .join(
      '',
    )}${actions.map((a) => `<descope-button id="${a}">${a}</descope-button>`).join('')}</descope-container>`,
});

const FLOWS: DefaultFlow[] = [
  {
    id: 'sign-up-or-in',
    name: 'Sign Up or In',
    description: 'Sign a user in, or sign them up when the login id is new (one-time code by email)',
    steps: ['welcome', 'verify-code', 'user-info'],
    screens: [
      screen('welcome', 'Welcome', ['email'], ['continue']),
      screen('verify-code', 'Enter the code we sent you', ['code'], ['verify', 'resend']),
      screen('user-info', 'Tell us about you', ['name'], ['finish']),
    ],
  },
  {
    id: 'sign-up',
    name: 'Sign Up',
    description: 'Create a user with an email and a password',
    steps: ['sign-up', 'verify-email'],
    screens: [
      screen('sign-up', 'Create your account', ['email', 'password'], ['sign-up']),
      screen('verify-email', 'Verify your email', ['code'], ['verify']),
    ],
  },
  {
    id: 'sign-in',
    name: 'Sign In',
    description: 'Sign in with an email and a password',
    steps: ['sign-in'],
    screens: [screen('sign-in', 'Sign in', ['email', 'password'], ['sign-in', 'forgot-password'])],
  },
  {
    id: 'step-up',
    name: 'Step Up',
    description: 'Ask a signed-in user for a second factor before a sensitive action',
    steps: ['step-up'],
    screens: [screen('step-up', 'Confirm it is you', ['code'], ['verify'])],
  },
  {
    id: 'update-user',
    name: 'Update User',
    description: 'Let a signed-in user change their name, email or phone',
    steps: ['profile'],
    screens: [screen('profile', 'Your profile', ['name', 'email', 'phone'], ['save'])],
  },
  {
    id: 'reset-password',
    name: 'Reset Password',
    description: 'Send a reset link, then set a new password',
    steps: ['request-reset', 'new-password'],
    screens: [
      screen('request-reset', 'Reset your password', ['email'], ['send-link']),
      screen('new-password', 'Choose a new password', ['password'], ['save']),
    ],
  },
  {
    id: 'sign-in-magic-link',
    name: 'Sign In with Magic Link',
    description: 'Email a sign-in link and wait for the user to open it',
    steps: ['email', 'check-inbox'],
    screens: [
      screen('email', 'Sign in with a link', ['email'], ['send-link']),
      screen('check-inbox', 'Check your inbox', [], ['resend']),
    ],
  },
];

/** The default flow documents `{flow, screens}` in the wire shape (reference §3.9). */
export function defaultFlows(): { flow: Record<string, unknown>; screens: Record<string, unknown>[] }[] {
  return FLOWS.map((f) => ({
    flow: {
      id: f.id,
      name: f.name,
      description: f.description,
      disabled: false,
      dsl: {
        version: 1,
        startTask: f.steps[0],
        tasks: Object.fromEntries(
          f.steps.map((s, i) => [s, { type: 'screen', screenId: s, next: f.steps[i + 1] ?? 'end' }]),
        ),
      },
    },
    screens: f.screens.map((s) => ({ ...s, flowId: f.id })),
  }));
}

/** The default theme (its `version` is kept by the store). */
export function defaultTheme(): Record<string, unknown> {
  return {
    id: 'theme',
    cssTemplate: {
      light: {
        colors: { primary: { main: '#3f51b5', contrast: '#ffffff' }, surface: { main: '#ffffff' } },
        typography: { fontFamily: 'Inter, system-ui, sans-serif', fontSize: '14px' },
        borderRadius: '6px',
      },
      dark: {
        colors: { primary: { main: '#8c9eff', contrast: '#121212' }, surface: { main: '#121212' } },
        typography: { fontFamily: 'Inter, system-ui, sans-serif', fontSize: '14px' },
        borderRadius: '6px',
      },
    },
  };
}
