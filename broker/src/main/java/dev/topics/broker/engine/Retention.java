package dev.topics.broker.engine;

/**
 * What a topic keeps of what was published to it ({@code --retention}). Immutable.
 */
public enum Retention
{
    /** The latest value, which {@code GET} answers: the product's contract, and the default. */
    LATEST,
    /** Nothing: {@code GET} always answers {@code NOVALUE}; pure fan-out, no memory per topic. */
    NONE
}
