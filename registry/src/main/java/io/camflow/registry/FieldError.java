package io.camflow.registry;

/**
 * One bad field of an API request: {@code streams[0].url} and what is wrong with it (never its
 * value if secret).
 */
public record FieldError(String field, String message) {}
