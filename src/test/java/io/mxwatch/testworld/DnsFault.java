package io.mxwatch.testworld;

/** What the test DNS server does instead of answering a query normally. */
public enum DnsFault {
  NONE,
  /** Sends nothing: the client times out. */
  DROP,
  /** Answers SERVFAIL. */
  SERVFAIL,
  /** Answers REFUSED. */
  REFUSED,
  /** Answers with a message ID that does not match the query. */
  WRONG_ID,
  /** Answers with a question section for another name. */
  WRONG_QUESTION,
  /** Answers with bytes that are not a DNS message. */
  GARBAGE
}
