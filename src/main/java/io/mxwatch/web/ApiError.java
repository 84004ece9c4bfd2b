package io.mxwatch.web;

/**
 * The JSON body of an API error.
 *
 * @param error what went wrong, for a person to read
 */
public record ApiError(String error) {}
