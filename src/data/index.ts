// data: tokenizers (BERT WordPiece, word-level), vocabularies, GloVe loaders, truncation and padding.
export * from './bert-tokenizer.js';
export * from './embedding-matrix.js';
export * from './glove.js';
export * from './offsets.js';
export * from './padding.js';
export * from './truncation.js';
export * from './word-tokenize.js';
export * from './word-vocab.js';
export * from './wordpiece-tokenizer.js';
export * from './pos-tagger.js';
export * from './sentiment.js';
export * from './wink.js';
export * from './ngram-featurizer.js';
