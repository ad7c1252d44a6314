import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { enrich, enrichArgs, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

/** Words of the English catalog a Portuguese refusal must not hold (the terminal's advice keeps `--map` as it is). */
const ENGLISH = /no column for|the file has|Name it with|Its first rows|was taken as|nothing was spent/i;

describe('a refused file, said in the reader’s language through the real CLI', () => {
  it('--lang pt-BR: the facts in Portuguese and the --map line; --lang en: in English; the code and exit code unchanged', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      await writeFile(input, 'Nome,Telefone\nAna,123\n');
      const pt = await enrich(sandbox, input, dir, ['--lang', 'pt-BR']);
      expect(pt.code).toBe(1);
      expect(pt.stderr).toMatch(
        /não há coluna para ultimo_nome, empresa; as colunas do arquivo são: "Nome", "Telefone"\. Indique a coluna com --map ultimo_nome=Coluna\. Se "Nome" tem nomes completos, use --map nome_completo="Nome"\. \[MISSING_COLUMN\]/,
      );
      expect(pt.stderr).not.toMatch(ENGLISH);
      const en = await enrich(sandbox, input, dir, ['--lang', 'en']);
      expect(en.code).toBe(1);
      expect(en.stderr).toMatch(
        /no column for ultimo_nome, empresa; the file has: "Nome", "Telefone"\. Name it with --map ultimo_nome=Header\. If "Nome" holds full names, use --map nome_completo="Nome"\. \[MISSING_COLUMN\]/,
      );
      expect(sandbox.ledger.keys[ENTERPRISE]).toBeUndefined();
    });
  });

  it('the locale chooses when --lang is not given (LANG=pt_BR.UTF-8; LANG=C reads English), suggestions and lists included', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'erp.csv');
      await writeFile(
        input,
        'Código;Cliente;Razão Social;Contato\n001;Padaria Aurora;Aurora Alimentos Ltda;Ana Moura\n002;Mercadinho Bom Preço;BP Comércio Ltda;Bruno Lima\n',
      );
      const args = enrichArgs(sandbox, input, dir, []);
      const pt = await runCli(args, {
        env: { FLUENCE_API_KEY: ENTERPRISE, LANG: 'pt_BR.UTF-8', LC_ALL: '', FLUENCE_LANG: '' },
      });
      expect(pt.code).toBe(1);
      expect(pt.stderr).toMatch(
        /As primeiras linhas sugerem: "Contato" tem nomes completos de pessoas \(ex\.: "Ana Moura"\) e "Razão Social" tem empresas \(ex\.: "Aurora Alimentos Ltda"\); se for isso, rode com --map nome_completo="Contato" --map empresa="Razão Social" .*\[MISSING_COLUMN\]/,
      );
      expect(pt.stderr).not.toMatch(ENGLISH);
      const c = await runCli(args, { env: { FLUENCE_API_KEY: ENTERPRISE, LANG: 'C', LC_ALL: '', FLUENCE_LANG: '' } });
      expect(c.code).toBe(1);
      expect(c.stderr).toMatch(/Its first rows suggest: "Contato" holds people's full names .*\[MISSING_COLUMN\]/);
    });
  });

  it('a doubtful column in Portuguese: what its values are, the columns that could be meant, the --map to choose', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'ids.csv');
      await writeFile(
        input,
        'primeiro_nome,ultimo_nome,empresa\n101,Moura,Padaria Aurora\n102,Lima,Mercadinho Bom Preço\n103,Souza,Aurora Alimentos Ltda\n',
      );
      const pt = await enrich(sandbox, input, dir, ['--lang', 'pt-BR']);
      expect(pt.code).toBe(1);
      expect(pt.stderr).toMatch(
        /a coluna "primeiro_nome" foi lida como primeiro_nome, mas 3 dos 3 valores dela não são nomes de pessoas: 3 não têm letras/,
      );
      expect(pt.stderr).toMatch(/--map primeiro_nome=Coluna .*nada foi gasto.*\[DOUBTFUL_COLUMN\]/);
      expect(pt.stderr).not.toMatch(ENGLISH);
    });
  });
});
