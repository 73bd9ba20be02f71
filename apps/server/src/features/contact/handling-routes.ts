import {
  AssignTeamConversationRequest,
  MarkTeamConversationDoneRequest,
  TeamConversationHandling,
  TeamConversationParams,
  TeamHandlingList,
  TeamHandlingListParams,
  TeamHandlingListQuery,
} from '@zegel/protocol/api';
import type { Deps } from '../../deps.ts';
import { originOf, requireSession } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import {
  assignTeamConversation,
  getTeamConversationHandling,
  listTeamHandling,
  markTeamConversationDone,
} from './handling.ts';

const base = '/api/teams/:teamId/conversations/:conversationId';

/** Team mailbox work: assignment, done, and the history of who handled what. */
export function registerHandlingRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/teams/:teamId/handling',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['teams'],
        params: TeamHandlingListParams,
        querystring: TeamHandlingListQuery,
        response: { 200: TeamHandlingList },
      },
    },
    (request) =>
      listTeamHandling(
        deps,
        requireSession(request).actor,
        request.params.teamId,
        request.query.conversationIds.split(','),
      ),
  );
  app.get(
    `${base}/handling`,
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['teams'],
        params: TeamConversationParams,
        response: { 200: TeamConversationHandling },
      },
    },
    (request) =>
      getTeamConversationHandling(
        deps,
        requireSession(request).actor,
        request.params.teamId,
        request.params.conversationId,
      ),
  );
  app.put(
    `${base}/assignee`,
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['teams'],
        params: TeamConversationParams,
        body: AssignTeamConversationRequest,
        response: { 200: TeamConversationHandling },
      },
    },
    (request) =>
      assignTeamConversation(
        deps,
        requireSession(request).actor,
        request.params.teamId,
        request.params.conversationId,
        request.body.userId,
        originOf(request),
      ),
  );
  app.put(
    `${base}/done`,
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['teams'],
        params: TeamConversationParams,
        body: MarkTeamConversationDoneRequest,
        response: { 200: TeamConversationHandling },
      },
    },
    (request) =>
      markTeamConversationDone(
        deps,
        requireSession(request).actor,
        request.params.teamId,
        request.params.conversationId,
        request.body.isDone,
        originOf(request),
      ),
  );
}
