import {
  CreateTeamRequest,
  IdParams,
  Ok,
  SetTeamMemberRequest,
  Team,
  TeamMemberParams,
  UpdateTeamRequest,
} from '@zegel/protocol/api';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { originOf, requireAdmin, requireSession } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { createTeam, deleteTeam, listTeams, removeTeamMember, setTeamMember, updateTeam } from './teams.ts';

const tags = (tag: string) => ({ tags: [tag] });

/** Teams and their members (admins, and team admins for their own team). */
export function registerTeamRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/teams',
    { config: { access: 'signed-in' }, schema: { ...tags('teams'), response: { 200: Type.Array(Team) } } },
    (request) => listTeams(deps, requireSession(request).actor.organisationId),
  );

  app.post(
    '/api/admin/teams',
    {
      config: { access: 'admin' },
      schema: { ...tags('admin'), body: CreateTeamRequest, response: { 201: Team } },
    },
    async (request, reply) => {
      const team = await createTeam(deps, requireAdmin(request), request.body, originOf(request));
      return reply.status(201).send(team);
    },
  );

  app.patch(
    '/api/teams/:id',
    {
      config: { access: 'signed-in' },
      schema: { ...tags('teams'), params: IdParams, body: UpdateTeamRequest, response: { 200: Team } },
    },
    (request) =>
      updateTeam(deps, requireSession(request).actor, request.params.id, request.body, originOf(request)),
  );

  app.delete(
    '/api/admin/teams/:id',
    { config: { access: 'admin' }, schema: { ...tags('admin'), params: IdParams, response: { 200: Ok } } },
    async (request) => {
      await deleteTeam(deps, requireAdmin(request), request.params.id, originOf(request));
      return { ok: true as const };
    },
  );

  app.put(
    '/api/teams/:id/members/:userId',
    {
      config: { access: 'signed-in' },
      schema: {
        ...tags('teams'),
        params: TeamMemberParams,
        body: SetTeamMemberRequest,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await setTeamMember(
        deps,
        requireSession(request).actor,
        request.params.id,
        request.params.userId,
        request.body.role,
        originOf(request),
      );
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/teams/:id/members/:userId',
    {
      config: { access: 'signed-in' },
      schema: { ...tags('teams'), params: TeamMemberParams, response: { 200: Ok } },
    },
    async (request) => {
      await removeTeamMember(
        deps,
        requireSession(request).actor,
        request.params.id,
        request.params.userId,
        originOf(request),
      );
      return { ok: true as const };
    },
  );
}
