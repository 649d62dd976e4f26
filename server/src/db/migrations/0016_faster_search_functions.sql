-- The same normalisation and vectors as 0012, computed about ten times faster (see docs/performance.md):
-- a ticket or message write computed search_vector() once per text, about 1 ms each, mostly spent
-- running SQL functions with sub-selects (an executor set up per call) and one long translate() that
-- compares every character with all 230 mapped ones. Here the functions are PL/pgSQL (plans kept per
-- session), the normalised text is made once per vector, and each script's characters are translated
-- only when the text holds that script. Results are identical, so stored vectors stay valid.
CREATE OR REPLACE FUNCTION search_text(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  IF t ~ '[\u0600-\u06FF]' THEN
    t := translate(t,
      -- alef forms: alef; alef maqsura, Persian yeh: yeh; Persian kaf: kaf; taa marbuta, heh with yeh: heh
         U&'\0623\0625\0622\0671' || U&'\0649\06CC' || U&'\06A9' || U&'\0629\06C0'
      -- Arabic-Indic and Persian digits: ASCII
      || U&'\0660\0661\0662\0663\0664\0665\0666\0667\0668\0669\06F0\06F1\06F2\06F3\06F4\06F5\06F6\06F7\06F8\06F9'
      -- Arabic comma, semicolon, question mark, percent, decimal and thousands separators, full stop: ASCII
      || U&'\060C\061B\061F\066A\066B\066C\06D4'
      -- deleted: tatweel, harakat, superscript alef, Arabic letter mark
      || U&'\0640\064B\064C\064D\064E\064F\0650\0651\0652\0653\0654\0655\0656\0657\0658\0659\065A\065B\065C\065D\065E\065F\0670\061C',
         U&'\0627\0627\0627\0627' || U&'\064A\064A' || U&'\0643' || U&'\0647\0647'
      || '01234567890123456789'
      || ',;?%.,.');
  END IF;
  IF t ~ '[\u0400-\u04FF]' THEN
    t := translate(t,
      -- yo: ye; capitals: small (a C-locale server lowers only ASCII)
         U&'\0451\0401'
      || U&'\0410\0411\0412\0413\0414\0415\0416\0417\0418\0419\041A\041B\041C\041D\041E\041F\0420\0421\0422\0423\0424\0425\0426\0427\0428\0429\042A\042B\042C\042D\042E\042F\0406\0407\0404\0490\040E',
         U&'\0435\0435'
      || U&'\0430\0431\0432\0433\0434\0435\0436\0437\0438\0439\043A\043B\043C\043D\043E\043F\0440\0441\0442\0443\0444\0445\0446\0447\0448\0449\044A\044B\044C\044D\044E\044F\0456\0457\0454\0491\045E');
  END IF;
  IF t ~ '[\u00A0-\u00FF]' THEN
    t := translate(t,
      -- capitals: small; guillemets: ASCII quotes; no-break space: space; soft hyphen deleted
         U&'\00C0\00C1\00C2\00C3\00C4\00C5\00C6\00C7\00C8\00C9\00CA\00CB\00CC\00CD\00CE\00CF\00D0\00D1\00D2\00D3\00D4\00D5\00D6\00D8\00D9\00DA\00DB\00DC\00DD\00DE'
      || U&'\00AB\00BB\00A0\00AD',
         U&'\00E0\00E1\00E2\00E3\00E4\00E5\00E6\00E7\00E8\00E9\00EA\00EB\00EC\00ED\00EE\00EF\00F0\00F1\00F2\00F3\00F4\00F5\00F6\00F8\00F9\00FA\00FB\00FC\00FD\00FE'
      || '"" ');
  END IF;
  IF t ~ '[\u2000-\u206F\u3000\uFEFF]' THEN
    t := translate(t,
      -- curly quotes, dashes, ellipsis: ASCII; typographic and zero-width spaces: space
         U&'\201C\201D\201E\2018\2019\2013\2014\2026'
      || U&'\2000\2001\2002\2003\2004\2005\2006\2007\2008\2009\200A\200B\202F\205F\3000'
      -- deleted: ZWNJ, ZWJ, direction marks and embeddings, BOM
      || U&'\200C\200D\200E\200F\FEFF\202A\202B\202C\202D\202E\2066\2067\2068\2069',
         '"""''''--.'
      || '               ');
  END IF;
  RETURN t;
END $$;
--> statement-breakpoint
-- The extra words of 0012 from the text and its normalised form, each part looked for only when the
-- text can hold it: words with ZWNJ, and Arabic-script words.
CREATE FUNCTION search_extra_words(t text, n text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  joined text;
  prefixed text;
  suffixed text;
  bare text;
BEGIN
  IF strpos(t, U&'\200C') > 0 THEN
    joined := (SELECT string_agg(search_text(replace(m[1], U&'\200C', ' ')), ' ') FROM regexp_matches(t, '(\S*\u200C\S*)', 'g') AS m);
  END IF;
  IF n ~ '[\u0600-\u06FF]' THEN
    prefixed := (SELECT string_agg(m[1] || m[2], ' ') FROM regexp_matches(n, '(?:^|\s)(\u0646?\u0645\u064A) (\S+)', 'g') AS m);
    suffixed := (SELECT string_agg(m[1] || m[2], ' ') FROM regexp_matches(n, '(\S+) (\u0647\u0627(?:\u064A\u064A?)?|\u062A\u0631(?:\u064A\u0646)?)(?=[^\u0600-\u06FF]|$)', 'g') AS m);
    bare := (SELECT string_agg(regexp_replace(w.lexeme, '^(\u0627\u0644|[\u0648\u0628\u0641\u0643]\u0627\u0644|\u0644\u0644)', ''), ' ')
               FROM unnest(to_tsvector('simple', n)) AS w
               WHERE w.lexeme ~ '^(\u0627\u0644|[\u0648\u0628\u0641\u0643]\u0627\u0644|\u0644\u0644)..');
  END IF;
  RETURN concat_ws(' ', joined, prefixed, suffixed, bare);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION search_extra_words(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  RETURN search_extra_words(t, search_text(t));
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION search_vector(t text) RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  n text := search_text(coalesce(t, ''));
BEGIN
  RETURN to_tsvector('simple', n) || to_tsvector('simple', search_extra_words(coalesce(t, ''), n))
      || to_tsvector('english', n) || to_tsvector('russian', n) || to_tsvector('arabic', n);
END $$;
