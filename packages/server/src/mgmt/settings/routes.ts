import { z } from 'zod';
import type { RoutePlugin } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import { passwordPolicySchema, projectSettingsSchema, signingAlgorithms } from '../../projects/settings.ts';

// Descope's password-settings shape (the Go SDK's PasswordSettings); `enabled` is accepted and always true here.
const passwordSettingsBody = passwordPolicySchema.partial().extend({ enabled: z.boolean().optional() });

/** Latchkey's own project settings (session lifetimes, rotation, signing algorithm): not part of the Descope API. */
const projectSettingsBody = z.object({
  sessionTokenExpiration: z.number().int().min(60).max(86_400 * 30).optional(),
  refreshTokenExpiration: z.number().int().min(300).max(86_400 * 365).optional(),
  refreshTokenRotation: z.boolean().optional(),
  signingAlgorithm: z.enum(signingAlgorithms).optional(),
});

export const settingsRoutes: RoutePlugin = (app, { projects, auth }) => {
  app.get('/v1/mgmt/password/settings', async (req) => {
    const project = await auth.management(req);
    return { enabled: true, ...project.settings.password };
  });

  app.post('/v1/mgmt/password/settings', async (req) => {
    const project = await auth.management(req);
    const { enabled: _ignored, ...changes } = parseInput(passwordSettingsBody, req.body);
    const settings = projectSettingsSchema.parse({ ...project.settings, password: { ...project.settings.password, ...changes } });
    await projects.updateSettings(project.id, settings);
    auth.invalidateProject(project.id);
    return {};
  });

  app.get('/v1/mgmt/project/settings', async (req) => {
    const project = await auth.management(req);
    const { password: _password, ...rest } = project.settings;
    return rest;
  });

  app.post('/v1/mgmt/project/settings', async (req) => {
    const project = await auth.management(req);
    const changes = parseInput(projectSettingsBody, req.body);
    const settings = projectSettingsSchema.parse({ ...project.settings, ...changes });
    await projects.updateSettings(project.id, settings);
    auth.invalidateProject(project.id);
    return {};
  });
};
