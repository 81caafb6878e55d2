import { fake, findIn } from './test/helpers/secrets.ts';
for (const s of [1,2,3]) { const v = fake('aws-secret-key', s); console.log(v, JSON.stringify((await findIn(`x\naws_secret_access_key = ${v}\n`, 'config.yml')).map(f=>[f.rule,f.column])));}
