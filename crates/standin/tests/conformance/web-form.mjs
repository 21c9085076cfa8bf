// Conformance: the official supabase-js client against the stand-in, as a team's public web form and
// a rep's browser use it. Exits non-zero with a reason on the first deviation.
// env: URL, ANON_KEY, MEMBER_EMAIL, MEMBER_PASSWORD, ORG_ID
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';

const { URL, ANON_KEY, MEMBER_EMAIL, MEMBER_PASSWORD, ORG_ID } = process.env;
const options = { realtime: { transport: ws }, auth: { persistSession: false, autoRefreshToken: false } };
const fail = (what, detail) => {
  console.error(`FAIL ${what}: ${JSON.stringify(detail)}`);
  process.exit(1);
};

// Sign up a new account (autoconfirm: a session comes back).
const visitor = createClient(URL, ANON_KEY, options);
const signup = await visitor.auth.signUp({ email: 'visitor@example.com', password: 'visitor-password' });
if (signup.error || !signup.data.session?.access_token) fail('signUp', signup.error ?? signup.data);
const dup = await visitor.auth.signUp({ email: 'visitor@example.com', password: 'visitor-password' });
if (dup.error?.code !== 'user_already_exists') fail('duplicate signUp', dup.error);
const wrong = await visitor.auth.signInWithPassword({ email: 'visitor@example.com', password: 'nope' });
if (wrong.error?.code !== 'invalid_credentials' || wrong.error?.status !== 400) fail('wrong password', wrong.error);

// The public contact form: anon key only, no session.
const form = createClient(URL, ANON_KEY, options);
const leadId = crypto.randomUUID();
const insert = await form.from('leads').insert({
  id: leadId, organization_id: ORG_ID, first_name: 'Wendy', last_name: 'Webform',
  email: 'wendy@example.com', message: 'Please call me back', source: 'web_form',
});
if (insert.error || insert.status !== 201) fail('anonymous web-form insert', insert);
const again = await form.from('leads').insert({
  id: crypto.randomUUID(), organization_id: ORG_ID, first_name: 'Wendy', email: 'Wendy@Example.com',
  message: 'Still waiting for a call', source: 'web_form',
});
if (again.error || again.status !== 201) fail('the form sent again is answered as the first time', again);
const peek = await form.from('leads').select('id');
if (peek.error?.code !== '42501' || peek.data) fail('anon must not read leads', peek);
const sneaky = await form.from('leads').insert({ id: crypto.randomUUID(), organization_id: ORG_ID, first_name: 'X', source: 'manual' });
if (!sneaky.error) fail('anon insert that is not a web form must be refused', sneaky);

// A rep of that organization signs in and sees the lead.
const rep = createClient(URL, ANON_KEY, options);
const signin = await rep.auth.signInWithPassword({ email: MEMBER_EMAIL, password: MEMBER_PASSWORD });
if (signin.error) fail('signInWithPassword', signin.error);
const read = await rep.from('leads').select('id, first_name, source, status').eq('id', leadId).maybeSingle();
if (read.error || read.data?.first_name !== 'Wendy' || read.data?.status !== 'new') fail('member reads the web-form lead', read);
const user = await rep.auth.getUser();
if (user.error || user.data.user?.email !== MEMBER_EMAIL) fail('getUser', user);
const refreshed = await rep.auth.refreshSession();
if (refreshed.error || !refreshed.data.session) fail('refreshSession', refreshed.error);
const dupKey = await rep.from('leads').insert({ id: leadId, organization_id: ORG_ID, first_name: 'Again' });
if (dupKey.error?.code !== '23505' || dupKey.status !== 409) fail('duplicate insert gives 409 23505', dupKey);
const out = await rep.auth.signOut();
if (out.error) fail('signOut', out.error);
console.log('OK supabase-js conformance');
