package dev.ncp.host.model;

import dev.ncp.api.model.ModelInfo;

/**
 * How a requested model name was resolved.
 *
 * @param requested the name the client sent (echoed in answers)
 * @param model     the upstream model to call
 * @param route     how it was chosen: {@code alias}, {@code family:opus}, {@code direct}, {@code default}
 */
public record Resolution(String requested, ModelInfo model, String route) {
}
