package io.mxwatch.store;

/**
 * CDI event fired inside the transaction that deleted a domain.
 *
 * @param name the domain in A-label form
 */
public record DomainRemoved(String name) {}
