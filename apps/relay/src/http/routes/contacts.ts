import { Hono } from 'hono';
import { SearchQuery, type ContactResponse, type SearchResponse } from '@parley/protocol';
import { notFound } from '../../core/errors.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { readQuery } from '../read-body.ts';
import { requireAgent } from '../session.ts';

/** The contact panel and search. */
export function contactRoutes(deps: AppDeps) {
  const api = new Hono<AppEnv>();
  api.use('/contacts/*', requireAgent(deps));
  api.use('/search', requireAgent(deps));

  api.get('/contacts/:id', async (c) => {
    const contact = await deps.store.contact(c.req.param('id'));
    if (!contact || contact.workspaceId !== c.get('agent').workspaceId) throw notFound('Contact');
    const body: ContactResponse = {
      contact: {
        id: contact.id,
        siteId: contact.siteId,
        name: contact.name,
        email: contact.email,
        externalId: contact.externalId,
        attributes: contact.attributes,
        lastPage: contact.lastPage,
        locale: contact.locale,
        timezone: contact.timezone,
        userAgent: contact.userAgent,
        createdAt: contact.createdAt,
        lastSeenAt: contact.lastSeenAt,
        conversations: await deps.store.contactConversations(contact.id, 20),
      },
    };
    return c.json(body);
  });

  api.get('/search', async (c) => {
    const query = readQuery(c, SearchQuery);
    const body: SearchResponse = { hits: await deps.store.search(c.get('agent').workspaceId, query.q, query.limit) };
    return c.json(body);
  });

  return api;
}
