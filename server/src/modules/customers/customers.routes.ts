import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { actorOf } from '../../platform/auth/auth.hook.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { roleHas } from '../../platform/permissions.js';
import { z } from 'zod';
import { customerContext } from './customer-context.service.js';
import { customer, customerContext as customerContextAnswer, customerPage, organization, organizationPage } from './customers.responses.js';
import { mergeCustomer } from './customer-merge.service.js';
import { createCustomerBody, createOrganizationBody, idParams, listCustomersQuery, listOrganizationsQuery, updateCustomerBody, updateOrganizationBody } from './customers.schema.js';
import { createCustomer, getCustomer, listCustomers, updateCustomer } from './customers.service.js';
import { createOrganization, getOrganization, listOrganizations, updateOrganization } from './organizations.service.js';

/**
 * A service tier decides which SLA promise applies, so it is part of the desk's configuration:
 * anyone who may edit customers keeps their details up to date, only admins and managers set a tier.
 */
async function guardTier(req: FastifyRequest) {
  if ((req.body as { tier?: unknown }).tier !== undefined && !roleHas(actorOf(req).role, 'settings.manage')) {
    throw new AppError(403, 'forbidden_field', 'tier: only admins and managers set a service tier', { field: 'tier', fields: ['tier'] });
  }
}

export function customerRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['customers'];

    r.get('/customers', { config: { capability: 'customers.read', responses: { 200: customerPage } }, schema: { tags, summary: 'List or search customers', querystring: listCustomersQuery } }, async (req) =>
      listCustomers(ctx, req.query),
    );
    r.post('/customers', { config: { capability: 'customers.write', responses: { 201: customer } }, preHandler: guardTier, schema: { tags, summary: 'Create a customer', body: createCustomerBody } }, async (req, reply) =>
      reply.status(201).send(await createCustomer(ctx, req.body)),
    );
    r.get('/customers/:id', { config: { capability: 'customers.read', responses: { 200: customer } }, schema: { tags, summary: 'A customer', params: idParams } }, async (req) =>
      getCustomer(ctx.db, req.params.id),
    );
    r.patch(
      '/customers/:id',
      { config: { capability: 'customers.write', responses: { 200: customer } }, preHandler: guardTier, schema: { tags, summary: 'Change a customer', params: idParams, body: updateCustomerBody } },
      async (req) => updateCustomer(ctx, req.params.id, req.body),
    );
    r.get(
      '/customers/:id/context',
      { config: { capability: 'customers.read', responses: { 200: customerContextAnswer } }, schema: { tags, summary: 'Side panel: profile, previous tickets, last problem and recent events', params: idParams } },
      async (req) => customerContext(ctx, actorOf(req), req.params.id),
    );

    r.post(
      '/customers/:id/merge',
      {
        config: { capability: 'customers.merge', responses: { 200: customer } },
        schema: { tags, summary: 'Merge this (duplicate) customer into another: tickets, emails and portal accounts move over', params: idParams, body: z.object({ targetId: z.uuid() }).strict() },
      },
      async (req) => mergeCustomer(ctx, req.params.id, req.body.targetId),
    );

    const orgTags = ['organizations'];
    r.get(
      '/organizations',
      { config: { capability: 'customers.read', responses: { 200: organizationPage } }, schema: { tags: orgTags, summary: 'List or search organizations, by name, a page at a time', querystring: listOrganizationsQuery } },
      async (req) => listOrganizations(ctx, req.query),
    );
    r.post(
      '/organizations',
      { config: { capability: 'customers.write', responses: { 201: organization } }, preHandler: guardTier, schema: { tags: orgTags, summary: 'Create an organization', body: createOrganizationBody } },
      async (req, reply) => reply.status(201).send(await createOrganization(ctx, req.body)),
    );
    r.get('/organizations/:id', { config: { capability: 'customers.read', responses: { 200: organization } }, schema: { tags: orgTags, summary: 'An organization', params: idParams } }, async (req) =>
      getOrganization(ctx, req.params.id),
    );
    r.patch(
      '/organizations/:id',
      { config: { capability: 'customers.write', responses: { 200: organization } }, preHandler: guardTier, schema: { tags: orgTags, summary: 'Change name, domains, notes or service tier (tier: admins and managers)', params: idParams, body: updateOrganizationBody } },
      async (req) => updateOrganization(ctx, req.params.id, req.body),
    );
  };
}
