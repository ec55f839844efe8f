import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';

const ts = (rd: string) => ({
  nType: 'child',
  expression: { neType: 'targetSet', targetRelationDefinition: rd },
});
const self = { nType: 'child', expression: { neType: 'self' } };

/** union / intersect / sub, which the seed schema does not use: a project space with members, approvals and bans. */
const schema = {
  name: 'Spaces',
  namespaces: [
    {
      name: 'space',
      relationDefinitions: [
        { name: 'member' },
        { name: 'approved' },
        { name: 'banned' },
        // member AND approved
        {
          name: 'contributor',
          complexDefinition: { nType: 'intersect', children: [ts('member'), ts('approved')] },
        },
        // member minus banned (sub: the first child minus every other child)
        { name: 'reader', complexDefinition: { nType: 'sub', children: [ts('member'), ts('banned')] } },
        // direct, or contributor, nested: union(self, intersect(member, approved))
        {
          name: 'poster',
          complexDefinition: {
            nType: 'union',
            children: [self, { nType: 'intersect', children: [ts('member'), ts('approved')] }],
          },
        },
      ],
    },
  ],
};

for (const store of STORES) {
  describe(`authz union, intersect and sub (${store})`, () => {
    let s: TestServer;
    const check = async (rd: string, target: string) => {
      const res = await mgmt<{ relationQueries: { hasRelation: boolean }[] }>(
        s,
        'POST',
        '/v1/mgmt/authz/re/has',
        {
          relationQueries: [{ namespace: 'space', resource: 'sp', relationDefinition: rd, target }],
        },
      );
      assert.equal(res.status, 200);
      return res.body.relationQueries[0]?.hasRelation;
    };
    const r = (relationDefinition: string, target: string) => ({
      namespace: 'space',
      resource: 'sp',
      relationDefinition,
      target,
    });

    before(async () => {
      s = await startTestServer(store);
      assert.equal(
        (await mgmt(s, 'POST', '/v1/mgmt/authz/schema/save', { schema, upgrade: true })).status,
        200,
      );
      await mgmt(s, 'POST', '/v1/mgmt/authz/re/create', {
        relations: [
          r('member', 'ann'),
          r('approved', 'ann'),
          r('member', 'ben'),
          r('banned', 'ben'),
          r('approved', 'cy'),
          r('poster', 'dee'),
        ],
      });
    });
    after(() => s.close());

    test('intersect needs every child', async () => {
      assert.equal(await check('contributor', 'ann'), true);
      assert.equal(await check('contributor', 'ben'), false, 'member only');
      assert.equal(await check('contributor', 'cy'), false, 'approved only');
    });

    test('sub is the first child minus the others, and follows writes', async () => {
      assert.equal(await check('reader', 'ann'), true);
      assert.equal(await check('reader', 'ben'), false, 'banned');
      assert.equal(await check('reader', 'cy'), false, 'not a member');
      await mgmt(s, 'POST', '/v1/mgmt/authz/re/create', { relations: [r('banned', 'ann')] });
      assert.equal(await check('reader', 'ann'), false);
      await mgmt(s, 'POST', '/v1/mgmt/authz/re/delete', { relations: [r('banned', 'ann')] });
      assert.equal(await check('reader', 'ann'), true);
    });

    test('nested nodes: union of self and an intersection', async () => {
      assert.equal(await check('poster', 'dee'), true);
      assert.equal(await check('poster', 'ann'), true);
      assert.equal(await check('poster', 'ben'), false);
      const who = await mgmt<{ targets: string[] }>(s, 'POST', '/v1/mgmt/authz/re/who', {
        namespace: 'space',
        resource: 'sp',
        relationDefinition: 'poster',
      });
      assert.deepEqual(who.body.targets.sort(), ['ann', 'dee']);
    });
  });
}
