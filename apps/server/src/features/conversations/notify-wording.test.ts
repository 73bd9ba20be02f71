import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMember,
  createOrganisationWithAdmin,
  uniqueEmail,
  uploadTestLogo,
} from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';
import {
  createTeamWithKeys,
  enrolKeys,
  readAsStaff,
  type StaffWithKeys,
  sendSecureMessage,
  staffItemBody,
} from '../../../test/messages.ts';

/**
 * The notification mail says what comes next (issue 12, item 5): the SMS to the number ending in
 * its last two digits, or the access code agreed with the sender and where the hint is shown, in
 * Dutch and English, with the app's date format; the closing line says why this person gets it;
 * a team member is not told about their own reply.
 */
let t: TestApp;
let sender: StaffWithKeys;
let member: StaffWithKeys;
let other: StaffWithKeys;
let slug: string;

beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrganisationWithAdmin(t, 'Gemeente Voorbeeld');
  sender = await enrolKeys(org.admin);
  slug = org.org.slug;
  member = await enrolKeys(await createMember(t, org.admin));
  other = await enrolKeys(await createMember(t, org.admin));
});
afterAll(async () => {
  await t.close();
});

const mailTo = (address: string) => t.mailer.sent.filter((m) => m.to === address);

describe('notification wording', () => {
  it('tells an SMS guest and an access-code guest what they will be asked, in Dutch and English', async () => {
    const smsGuest = uniqueEmail('sms');
    const codeGuest = uniqueEmail('code');
    const sent = await sendSecureMessage(t, sender, {
      subject: 'Stukken',
      bodyHtml: 'x',
      expiresAt: '2027-03-05T21:00:00.000Z',
      guests: [
        { address: smsGuest, method: 'sms', phone: '+31612345678' },
        { address: codeGuest, method: 'access_code', accessCode: 'Zonnebloem-42', hint: 'Ons dossiernummer' },
      ],
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    await t.deps.jobs.runDueJobs();
    const [sms] = mailTo(smsGuest);
    expect(sms?.text).toContain('mobiele nummer dat eindigt op 78');
    expect(sms?.text).toContain('mobile number ending in 78');
    expect(sms?.text).not.toContain('612345678');
    expect(sms?.text).toContain('tot en met 5 mrt 2027');
    expect(sms?.text).toContain('until 5 Mar 2027');
    expect(sms?.text).toContain('omdat Gemeente Voorbeeld u een beveiligd bericht stuurde');
    const [code] = mailTo(codeGuest);
    expect(code?.text).toContain('toegangscode in die u met');
    expect(code?.text).toContain('Op die pagina staat ook de hint van de afzender.');
    expect(code?.text).toContain('The sender’s hint is shown on that page.');
    expect(code?.text).not.toMatch(/sms/i);
    expect(code?.text).not.toContain('Ons dossiernummer');
  });

  it('shows the organisation’s logo in the mail, from a public address (issue 12, item 3)', async () => {
    const upload = await uploadTestLogo(sender);
    expect(upload.statusCode).toBe(200);
    const guest = uniqueEmail('logo');
    const sent = await sendSecureMessage(t, sender, {
      subject: 'Logo',
      bodyHtml: 'x',
      guests: [{ address: guest, method: 'email_only' }],
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    await t.deps.jobs.runDueJobs();
    const [mail] = mailTo(guest);
    const src = `${t.deps.config.publicUrl}/api/organisations/${slug}/logo`;
    expect(mail?.html).toContain(`<img src="${src}" alt="Logo van Gemeente Voorbeeld"`);
    expect(mail?.html).toContain('In dit bericht ziet u het logo van Gemeente Voorbeeld.');
    const anonymous = new Browser(t.app);
    const logo = await anonymous.get(`/api/organisations/${slug}/logo`);
    expect(logo.statusCode).toBe(200);
    expect(logo.headers['content-type']).toBe('image/png');
    expect((await anonymous.get('/api/organisations/bestaat-niet/logo')).statusCode).toBe(404);
  });

  it('does not mail a team member about their own reply, and does mail the others', async () => {
    const team = await createTeamWithKeys(sender, [member, other]);
    const sent = await sendSecureMessage(t, sender, {
      subject: 'Voor het team',
      bodyHtml: 'x',
      teams: [{ id: team.id, keys: team.keys }],
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    await t.deps.jobs.runDueJobs();
    const before = { member: mailTo(member.email).length, other: mailTo(other.email).length };
    expect(before.member).toBeGreaterThan(0);

    const holders = (await readAsStaff(member, sent.conversationId)).detail.keyHolders;
    const body = await staffItemBody(
      [...holders, { holderId: member.id, publicKey: member.keys.publicKey }],
      {
        subject: 'Re',
        bodyHtml: 'Ik pak het op.',
      },
    );
    const reply = await member.browser.post(`/api/conversations/${sent.conversationId}/items`, body);
    expect(reply.statusCode, reply.body).toBe(201);
    await t.deps.jobs.runDueJobs();
    expect(mailTo(member.email).length).toBe(before.member);
    expect(mailTo(other.email).length).toBe(before.other + 1);
    expect(mailTo(other.email).at(-1)?.text).toContain('omdat u lid bent van team');
  });
});
